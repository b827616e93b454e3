using System.Text;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Actions.Publish;
using MqttRules.Engine;
using MqttRules.Loading;

namespace MqttRules.Tests.Performance;

/// <summary>
/// The benchmark workload (one rule per meter, lpm &gt; 30) through the engine, pinning what
/// the hot path optimisations must keep: series per topic, match counts, actions on transitions.
/// </summary>
public class EngineHotPathTests
{
    private const string Rules = """
        rules:
          - id: water-m1
            topic: home/m1/water
            when: lpm > 30
            actions:
              - publish: { topic: alerts/m1/water, payload: "{{lpm}} l/min" }
          - id: water-any
            topic: home/{meter}/water
            when: lpm > 30
            actions:
              - publish: { topic: "alerts/{{meter}}/any", payload: "{{lpm}}" }
        """;

    [Fact]
    public void Process_FiringThenResolving_OneActionPerFireAndMatchesCounted()
    {
        var (engine, sink, clock) = Create();

        Send(engine, clock, "home/m1/water", 42.5);
        Send(engine, clock, "home/m1/water", 50);
        Send(engine, clock, "home/m1/water", 12);
        Send(engine, clock, "home/m1/water", 31);

        var own = sink.Actions.Where(a => a.RuleId == "water-m1").ToList();
        Assert.Equal(2, own.Count);
        Assert.All(own, a => Assert.Equal("alerts/m1/water", a.As<PublishAction>().Topic));
        Assert.Equal(["42.5 l/min", "31 l/min"], own.Select(a => a.PayloadText()));
        Assert.Equal(2, engine.Metrics.Fires("water-m1"));
        Assert.Contains("mqttrules_rule_matches_total{rule=\"water-m1\"} 4\n", engine.Metrics.ToPrometheusText(), StringComparison.Ordinal);
        Assert.Contains("mqttrules_rule_matches_total{rule=\"water-any\"} 4\n", engine.Metrics.ToPrometheusText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Process_TwoSeriesInterleaved_EachKeepsItsOwnState()
    {
        var (engine, sink, clock) = Create();

        Send(engine, clock, "home/a/water", 40);
        Send(engine, clock, "home/b/water", 10);
        Send(engine, clock, "home/a/water", 45);
        Send(engine, clock, "home/b/water", 40);
        Send(engine, clock, "home/a/water", 5);
        Send(engine, clock, "home/a/water", 35);

        Assert.Equal(["alerts/a/any", "alerts/b/any", "alerts/a/any"], sink.Actions.Select(a => a.As<PublishAction>().Topic));
        Assert.Equal(3, engine.Metrics.Fires("water-any"));
    }

    [Fact]
    public void Process_NonFiringMessages_NoActionsAndNoErrors()
    {
        var (engine, sink, clock) = Create();

        for (var i = 0; i < 100; i++)
        {
            Send(engine, clock, i % 2 == 0 ? "home/m1/water" : "home/m2/water", i % 30);
        }

        Assert.Empty(sink.Actions);
        Assert.Equal(0, engine.Metrics.EvaluationErrors);
        Assert.Equal(100, engine.Metrics.Messages);
    }

    private static (RuleEngine Engine, ListActionSink Sink, FakeTimeProvider Clock) Create()
    {
        var loaded = RuleLoader.LoadText(Rules);
        Assert.Empty(loaded.Problems);
        var sink = new ListActionSink();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var engine = new RuleEngine(loaded.Rules, sink, new EngineOptions { Clock = clock });
        engine.Start();
        return (engine, sink, clock);
    }

    private static void Send(RuleEngine engine, FakeTimeProvider clock, string topic, double lpm)
    {
        clock.Advance(TimeSpan.FromSeconds(1));
        var json = string.Create(System.Globalization.CultureInfo.InvariantCulture, $$"""{"lpm": {{lpm}}, "ts": 1764000000}""");
        engine.Process(topic, Encoding.UTF8.GetBytes(json));
    }
}
