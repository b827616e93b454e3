using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.Rules;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Engine;

/// <summary>A sink that throws loses only the action it was handed; the rule's other actions and its state go on.</summary>
public class ActionEmitterTests
{
    private const string Rules = """
        rules:
          - id: hot
            topic: room/temp
            when: value > 25
            actions:
              - log: "first {{value}}"
              - publish: { topic: alerts/room, payload: "second {{value}}" }
              - log: "third {{value}}"
            on_resolve: [ { log: "cool {{value}}" } ]
        """;

    [Fact]
    public void Fire_SinkThrowsOnFirstAction_OthersStillHandedOnAndCounted()
    {
        var sink = new ThrowingSink(throwOn: 1);
        var logger = new ListLogger();
        var engine = new RuleEngine(Yaml.Rules(Rules), sink, new EngineOptions { Logger = logger });
        engine.Start();

        engine.Process("room/temp", "30"u8.ToArray());

        Assert.Equal([ActionKind.Publish, ActionKind.Log], sink.Received.Select(a => a.Kind));
        Assert.Equal(1, engine.Metrics.ActionCount("log", "error"));
        Assert.Equal(1, engine.Metrics.Fires("hot"));
        Assert.Contains(logger.Lines, l => l.Id.Id == 109 && l.Text.Contains("Rule hot", StringComparison.Ordinal) && l.Text.Contains("action 1 (log)", StringComparison.Ordinal));
    }

    [Fact]
    public void Fire_SinkThrew_RuleStillFiringAndResolvesLater()
    {
        var sink = new ThrowingSink(throwOn: 2);
        var engine = new RuleEngine(Yaml.Rules(Rules), sink, new EngineOptions());
        engine.Start();

        engine.Process("room/temp", "30"u8.ToArray());
        engine.Process("room/temp", "31"u8.ToArray()); // still firing: nothing new
        engine.Process("room/temp", "20"u8.ToArray());

        Assert.Equal([RuleEvent.Fire, RuleEvent.Fire, RuleEvent.Resolve], sink.Received.Select(a => a.Event));
        Assert.Equal(1, engine.Metrics.ActionCount("publish", "error"));
        Assert.Equal(0, engine.Metrics.EvaluationErrors);
    }

    /// <summary>Throws on the <c>throwOn</c>-th action handed to it (1-based), keeps the others.</summary>
    private sealed class ThrowingSink(int throwOn) : IActionSink
    {
        private int count;

        public List<RenderedAction> Received { get; } = [];

        public void Submit(RenderedAction action)
        {
            if (++count == throwOn)
            {
                throw new InvalidOperationException("sink is broken");
            }

            Received.Add(action);
        }
    }
}
