using MqttRules.Tests.Support;

namespace MqttRules.Tests.Checking;

/// <summary>
/// <c>validate --input FILE.jsonl</c>: what a recording of real traffic shows about rules that
/// validate alone cannot see. Payloads are Zigbee2MQTT's documented forms (an Aqara climate
/// sensor and a plug: https://www.zigbee2mqtt.io/devices/WSDCGQ11LM.html, /devices/ZNCZ02LM.html).
/// </summary>
public sealed class ValidateInputTests
{
    private const string Recording = """
        {"t": 0, "topic": "zigbee2mqtt/bathroom", "payload": {"battery": 97, "humidity": 64.2, "linkquality": 120, "pressure": 1012, "temperature": 21.5, "voltage": 3005}}
        {"t": 1, "topic": "zigbee2mqtt/kitchen_plug", "payload": {"state": "ON", "power": 12.5, "energy": 0.4, "linkquality": 96}}
        {"t": 2, "topic": "zigbee2mqtt/kitchen_plug", "payload": {"state": "OFF", "power": 0, "energy": 0.4, "linkquality": 96}}
        {"t": 3, "topic": "zigbee2mqtt/bathroom", "payload": {"battery": 97, "humidity": 71.0, "linkquality": 117, "pressure": 1012, "temperature": 22.0, "voltage": 3005}}
        """;

    private static CliRunner.Outcome Validate(string rules, string recording = Recording)
    {
        using var dir = new TempDir();
        var rulesFile = dir.Write("rules.yaml", rules);
        var input = dir.Write("traffic.jsonl", recording);
        var outcome = CliRunner.Run(["validate", rulesFile, "--input", input]);
        return outcome with { Stdout = outcome.Stdout.Replace(dir.Path + Path.DirectorySeparatorChar, "", StringComparison.Ordinal) };
    }

    [Fact]
    public void MisspeltField_NamedWithTheFieldsSeenAndASuggestion()
    {
        var outcome = Validate("""
            rules:
              - id: bath-humid
                topic: zigbee2mqtt/bathroom
                when: humidty > 70
                actions: [ { log: humid } ]
            """);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("rules.yaml:2:5: rule 'bath-humid': when: field 'humidty' never occurs in the 2 recorded payloads of zigbee2mqtt/bathroom; did you mean 'humidity'? (fields there: battery, humidity, linkquality, pressure, temperature, voltage)", outcome.Lines);
        Assert.Equal("traffic.jsonl: 4 messages on 2 topics: 1 findings", outcome.Lines[^1]);
    }

    [Fact]
    public void NumberComparedWithTextField_Reported()
    {
        var outcome = Validate("""
            rules:
              - id: plug-on
                topic: zigbee2mqtt/+
                when: state > 0
                actions: [ { log: x } ]
            """);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("rules.yaml:2:5: rule 'plug-on': when: compares 'state' with a number, but its recorded values are text ('ON', 'OFF'); compare with text in quotes, or read a numeric field", outcome.Lines);
    }

    [Fact]
    public void FilterMatchingNoRecordedTopic_Reported()
    {
        var outcome = Validate("""
            rules:
              - id: shelly
                topic: shellies/+/relay/0
                when: payload == 'on'
                actions: [ { log: x } ]
            """);

        Assert.Contains("rules.yaml:2:5: rule 'shelly': topic filter 'shellies/+/relay/0' matched none of the 2 recorded topics", outcome.Lines);
    }

    [Fact]
    public void ValuePathNeverPresent_Reported_DefaultValueMissingReportedOnlyWhenUsed()
    {
        var outcome = Validate("""
            rules:
              - id: temp
                topic: zigbee2mqtt/bathroom
                value: temp.c
                when: value > 20
                actions: [ { log: x } ]
              - id: humid-no-value
                topic: zigbee2mqtt/bathroom
                when: humidity > 70
                actions: [ { log: x } ]
              - id: bare-value
                topic: zigbee2mqtt/kitchen_plug
                when: value > 1
                actions: [ { log: x } ]
            """);

        Assert.Contains(outcome.Lines, l => l.StartsWith("rules.yaml:2:5: rule 'temp': value: 'temp.c' never occurs in the 2 recorded payloads of zigbee2mqtt/bathroom", StringComparison.Ordinal));
        Assert.DoesNotContain(outcome.Lines, l => l.Contains("'humid-no-value'", StringComparison.Ordinal));
        Assert.Contains(outcome.Lines, l => l.StartsWith("rules.yaml:11:5: rule 'bare-value': value: none of the 2 recorded payloads of zigbee2mqtt/kitchen_plug has a value", StringComparison.Ordinal));
        Assert.Equal("traffic.jsonl: 4 messages on 2 topics: 2 findings", outcome.Lines[^1]);
    }

    [Fact]
    public void RulesThatFitTheRecording_OkExitZero_CapturesAndFunctionsAreNotFields()
    {
        var outcome = Validate("""
            rules:
              - id: good
                topic: zigbee2mqtt/{device}
                when: humidity > 70 and round(temperature) < 30 and device != 'x' and duration >= 0
                clear: humidity < 60
                actions: [ { log: x } ]
              - id: plug
                topic: zigbee2mqtt/kitchen_plug
                value: power
                when: value > 10 and state == 'ON'
                actions: [ { log: x } ]
            """);

        Assert.True(outcome.ExitCode == 0, outcome.Stdout);
        Assert.Equal(["2 rules in 1 files: OK", "traffic.jsonl: 4 messages on 2 topics: OK"], outcome.Lines);
    }

    [Fact]
    public void BadRecordingLine_NamedByLine_ExitOne()
    {
        var outcome = Validate("rules:\n  - id: a\n    topic: x\n    when: value > 0\n    actions: [ { log: x } ]\n", "{\"t\": 0, \"topic\": \"x\", \"payload\": 1}\nnot json\n");

        Assert.Equal(1, outcome.ExitCode);
        Assert.StartsWith("traffic.jsonl:2: ", outcome.Lines[^1]);
    }

    [Fact]
    public void WithoutInput_OutputUnchanged()
    {
        using var dir = new TempDir();
        var rules = dir.Write("rules.yaml", "rules:\n  - id: a\n    topic: x\n    when: humidty > 1\n    actions: [ { log: x } ]\n");

        Assert.Equal(["1 rules in 1 files: OK"], CliRunner.Run(["validate", rules]).Lines);
    }
}
