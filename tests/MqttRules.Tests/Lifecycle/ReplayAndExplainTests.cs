using System.Text;
using System.Text.Json;
using MqttRules.Actions;
using MqttRules.Replay;
using MqttRules.Tests.Explaining;

namespace MqttRules.Tests.Lifecycle;

/// <summary><c>replay</c> and <c>explain</c> apply what rule YAML says of the lifecycle: <c>flap:</c> and <c>enabled: false</c>.</summary>
public class ReplayAndExplainTests
{
    private static readonly DateTimeOffset T0 = ReplayReader.DefaultStart;

    /// <summary>The door of <see cref="FlapTests"/> open/closed every minute for 5 minutes, then quiet for half an hour.</summary>
    private static (double At, string Topic, string? Payload)[] Flapping() =>
        [.. Enumerable.Range(0, 6).Select(m => (m * 60.0, "house/door", (string?)(m % 2 == 0 ? "1" : "0"))), (35 * 60.0, "other/topic", "x")];

    [Fact]
    public void Replay_Flap_PrintsNoHeldNotificationAndTheSettledResolveOnce()
    {
        var actions = new List<RenderedAction>();
        var sink = new ListSink(actions);
        var runner = MqttRules.Hosting.EngineComposition.Replay(Yaml.Rules(FlapTests.Rules), sink, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeZoneInfo.Utc, 1000);
        runner.Run(Flapping().Select((m, i) => new ReplayLine(i + 1, T0.AddSeconds(m.At), m.Topic, Encoding.UTF8.GetBytes(m.Payload!))), T0);

        Assert.Equal([
            "fire@00:00 open", "fire@00:00 light/set=ON", "resolve@01:00 closed",
            "fire@02:00 open", "fire@02:00 light/set=ON", "fire@04:00 light/set=ON",
            "resolve@15:00 closed",
        ], actions.Select(EngineHarness.Describe));
    }

    [Fact]
    public void Explain_Flap_SaysOnceThatTheSeriesFlapsAndWhenItSettles()
    {
        var lines = ExplainerTests.Explain(FlapTests.Rules, null, Flapping());
        var flap = lines.Where(l => l.TryGetProperty("trigger", out var t) && t.GetString() == "flap").ToList();

        Assert.Equal(["flapping", "flap_settled"], flap.Select(l => l.GetProperty("reason").GetString()));
        Assert.Equal("2026-01-01T00:03:00.000Z", flap[0].GetProperty("t").GetString());
        Assert.Equal("2026-01-01T00:15:00.000Z", flap[1].GetProperty("t").GetString());
        Assert.Contains("the resolve is announced once", flap[1].GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_DisabledRule_SaysItIsNotEvaluated()
    {
        const string yaml = """
            rules:
              - id: off
                enabled: false
                topic: a/b
                when: value > 0
                actions: [ { log: hi } ]
            """;

        var line = Assert.Single(ExplainerTests.Explain(yaml, null, (0, "a/b", "5")), l => l.TryGetProperty("rule", out var r) && r.GetString() == "off");

        Assert.False(line.GetProperty("matched").GetBoolean());
        Assert.True(line.GetProperty("disabled").GetBoolean());
    }

    private sealed class ListSink(List<RenderedAction> list) : IActionSink
    {
        public void Submit(RenderedAction action) => list.Add(action);
    }
}
