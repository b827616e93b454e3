using System.Text;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.History;
using MqttRules.Mqtt;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Mqtt;

/// <summary>
/// A message matching overlapping subscriptions reaches the engine once per subscription (MQTT 5):
/// each copy feeds only the rules and history topics of its subscription, so each sees it once.
/// </summary>
public class SubscriptionRoutingTests
{
    private const string Rules = """
        rules:
          - id: every
            topic: home/{meter}/water
            each_message: true
            actions: [ { log: "every {{value}}" } ]
          - id: main-sum
            topic: home/main/flow
            each_message: true
            actions: [ { log: "sum {{sum('home/main/water', 'value', '1h')}}" } ]
        """;

    [Fact]
    public void TwoCopiesEachWithItsOwnIdentifier_RuleAndHistorySeeTheMessageOnce()
    {
        var (engine, sink) = Build();
        var plan = SubscriptionPlan.WithIdentifiers(engine.Subscriptions);
        var ids = plan.Packets.Where(p => p.Id is not null).ToDictionary(p => p.Filters[0], p => p.Id!.Value);

        engine.Process("home/main/water", """{"value": 5}"""u8.ToArray(), plan.Route([ids["home/+/water"]]));
        engine.Process("home/main/water", """{"value": 5}"""u8.ToArray(), plan.Route([ids["home/main/water"]]));
        engine.Process("home/main/flow", "1"u8.ToArray(), plan.Route([ids["home/main/flow"]]));

        Assert.Equal(["every 5", "sum 5"], sink.Actions.Select(a => a.Message));
    }

    [Fact]
    public void OneCopyWithBothIdentifiers_SameAsReplay()
    {
        var (engine, sink) = Build();
        var plan = SubscriptionPlan.WithIdentifiers(engine.Subscriptions);
        var all = plan.Packets.Where(p => p.Filters[0] != "home/main/flow").Select(p => p.Id!.Value).ToArray();

        engine.Process("home/main/water", """{"value": 5}"""u8.ToArray(), plan.Route(all));
        engine.Process("home/main/flow", "1"u8.ToArray());

        var (replay, replaySink) = Build();
        replay.Process("home/main/water", """{"value": 5}"""u8.ToArray());
        replay.Process("home/main/flow", "1"u8.ToArray());
        Assert.Equal(["every 5", "sum 5"], replaySink.Actions.Select(a => a.Message));
        Assert.Equal(replaySink.Actions.Select(a => a.Message), sink.Actions.Select(a => a.Message));
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
