using MqttRules.Replay;

namespace MqttRules.Tests.Replay;

/// <summary>A good line with a hostile payload is a message (its payload is skipped later), not a bad line.</summary>
public class HostileLineTests
{
    [Fact]
    public void Read_DeeplyNestedPayload_IsAMessageNotABadLine()
    {
        var deep = new string('[', 20_000) + new string(']', 20_000);
        var text = "{\"t\": 0, \"topic\": \"t/a\", \"payload\": " + deep + "}\n{\"t\": 1, \"topic\": \"t/b\", \"payload\": 5}\n";

        var lines = ReplayReader.Read(new StringReader(text), ReplayReader.DefaultStart).ToList();

        Assert.Equal(["t/a", "t/b"], lines.Select(l => l.Topic));
        Assert.Equal(40_000, lines[0].Payload!.Length);
    }
}
