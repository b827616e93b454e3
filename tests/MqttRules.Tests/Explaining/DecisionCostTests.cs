using System.Text;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.Loading;

namespace MqttRules.Tests.Explaining;

/// <summary>Decisions cost nothing unless an observer wants the rule; then every evaluation makes one.</summary>
public sealed class DecisionCostTests
{
    private const string Rules = """
        rules:
          - id: water
            topic: home/{meter}/water
            when: lpm > 30
            actions: [{ log: high }]
        """;

    private sealed class Counting(bool wants) : IDecisionObserver
    {
        public int Seen { get; private set; }

        public bool Wants(string ruleId) => wants;

        public void Observe(RuleDecision decision) => Seen++;
    }

    /// <summary>Bytes allocated per non-firing message, after warming up, and the decisions seen.</summary>
    private static (long Bytes, int Seen) Measure(Counting? observer)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var engine = new RuleEngine(RuleLoader.LoadText(Rules).Rules, new ListActionSink(), new EngineOptions { Clock = clock, Decisions = observer });
        engine.Start();
        var payload = Encoding.UTF8.GetBytes("""{"lpm": 12}""");
        for (var i = 0; i < 100; i++)
        {
            engine.Process("home/m1/water", payload);
        }

        const int n = 1000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < n; i++)
        {
            engine.Process("home/m1/water", payload);
        }

        return ((GC.GetAllocatedBytesForCurrentThread() - before) / n, observer?.Seen ?? 0);
    }

    [Fact]
    public void An_observer_that_wants_no_rule_costs_nothing_and_one_that_does_sees_every_evaluation()
    {
        var none = Measure(null);
        var unwanted = Measure(new Counting(wants: false));
        var wanted = Measure(new Counting(wants: true));

        Assert.Equal(none.Bytes, unwanted.Bytes);
        Assert.Equal(0, unwanted.Seen);
        Assert.Equal(1100, wanted.Seen);
        Assert.True(wanted.Bytes > none.Bytes);
    }
}
