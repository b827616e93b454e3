using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.History;
using MqttRules.Mqtt;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Mqtt;

/// <summary>
/// A message matching overlapping subscriptions that cannot be merged (here a shared subscription)
/// reaches the engine once per subscription (MQTT 5): each copy feeds only the rules and history
/// topics of its subscription, so each sees it once.
/// </summary>
public class SubscriptionRoutingTests
{
    /// <summary>$share/g/plant/+/temp and plant/p1/# overlap; history reads plant/p1/temp.</summary>
    private const string Rules = """
        rules:
          - id: temp
            topic: $share/g/plant/+/temp
            each_message: true
            actions: [ { log: "temp {{value}}" } ]
          - id: p1
            topic: plant/p1/#
            each_message: true
            actions: [ { log: "p1 {{value}}" } ]
          - id: p1-sum
            topic: report
            each_message: true
            actions: [ { log: "sum {{sum('plant/p1/temp', 'value', '1h')}}" } ]
        """;

    [Fact]
    public void TwoCopiesEachWithItsOwnIdentifier_RulesAndHistorySeeTheMessageOnce()
    {
        var (engine, sink) = Build();
        var plan = SubscriptionPlan.WithIdentifiers(engine.Subscriptions);
        var ids = plan.Packets.Where(p => p.Via is not null).ToDictionary(p => p.Filters[0], p => p.Id!.Value);

        engine.Process("plant/p1/temp", """{"value": 5}"""u8.ToArray(), plan.Route([ids["$share/g/plant/+/temp"]]));
        engine.Process("plant/p1/temp", """{"value": 5}"""u8.ToArray(), plan.Route([ids["plant/p1/#"]]));
        engine.Process("report", "1"u8.ToArray(), plan.Route([plan.Packets.Single(p => p.Via is null).Id!.Value]));

        Assert.Equal(["temp 5", "p1 5", "sum 5"], sink.Actions.Select(a => a.LogMessage()));
    }

    [Fact]
    public void OneCopyWithBothIdentifiers_SameAsReplay()
    {
        var (engine, sink) = Build();
        var plan = SubscriptionPlan.WithIdentifiers(engine.Subscriptions);
        var both = plan.Packets.Where(p => p.Via is not null).Select(p => p.Id!.Value).ToArray();

        engine.Process("plant/p1/temp", """{"value": 5}"""u8.ToArray(), plan.Route(both));
        engine.Process("report", "1"u8.ToArray());

        var (replay, replaySink) = Build();
        replay.Process("plant/p1/temp", """{"value": 5}"""u8.ToArray());
        replay.Process("report", "1"u8.ToArray());
        Assert.Equal(["temp 5", "p1 5", "sum 5"], replaySink.Actions.Select(a => a.LogMessage()));
        Assert.Equal(replaySink.Actions.Select(a => a.LogMessage()), sink.Actions.Select(a => a.LogMessage()));
    }

    private static (RuleEngine, ListActionSink) Build()
    {
        var rules = Yaml.Rules(Rules);
        var sink = new ListActionSink();
        var engine = new RuleEngine(rules, sink, new EngineOptions
        {
            Clock = new FakeTimeProvider(EngineHarness.Start),
            History = new MessageHistory(rules.HistoryKeys),
        });
        engine.Start();
        return (engine, sink);
    }
}
