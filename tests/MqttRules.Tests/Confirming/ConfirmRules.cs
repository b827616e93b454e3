namespace MqttRules.Tests.Confirming;

/// <summary>The valve rule the confirmation tests share: a leak closes the meter's valve and waits for CLOSED.</summary>
internal static class ConfirmRules
{
    public const string Valve = """
        rules:
          - id: valve
            topic: "home/{meter}/leak"
            when: leak
            actions:
              - publish:
                  topic: "valves/{{meter}}/set"
                  payload: CLOSE
                  qos: 1
                  confirm: { topic: "valves/{{meter}}/state", when: "payload == 'CLOSED'", within: 10s, retries: 2 }
            on_unconfirmed:
              - log: "valve {{meter}} did not close after {{attempts}} sends ({{confirm_topic}} silent)"
        """;

    public static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
}
