namespace MqttRules.Demo;

/// <summary>The rules <c>--demo</c> uses when the rules folder does not exist: the house that tweets and closes the valve.</summary>
public static class DemoRules
{
    public const string Yaml = """
        rules:
          - id: water-burst
            description: Water flow above 30 L/min for 10 seconds - probably a burst pipe
            topic: home/{meter}/water
            value: flow.lpm
            when: value > 30
            for: 10s
            actions:
              - tweet: "Water at {{meter}}: {{round(value, 1)}} L/min for {{round(duration, 0)}} s. Closing the valve."
              - publish: { topic: "valves/{{meter}}/set", payload: CLOSE, qos: 1 }
            on_resolve:
              - tweet: "Water at {{meter}} is back to normal ({{round(value, 1)}} L/min)"
          - id: water-log
            topic: home/{meter}/water
            value: flow.lpm
            when: value > 30
            each_message: true
            cooldown: 5s
            actions:
              - log: { message: "{{meter}} is using {{round(value, 1)}} L/min", level: warning }
        """;
}
