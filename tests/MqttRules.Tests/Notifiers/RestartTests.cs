using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.Notifiers;
using MqttRules.Storage;

namespace MqttRules.Tests.Notifiers;

/// <summary>Held alerts survive a restart: nothing lost, nothing twice (issue 15, points 3 and 4).</summary>
public class RestartTests
{
    [Fact]
    public void Restart_DuringGroupWait_OneDigestWithEveryAlert()
    {
        using var temp = new TempDb();
        var clock = new FakeTimeProvider(EngineHarness.Start);
        var before = Run(temp, clock, e =>
        {
            e.Process("sensors/attic/temp", "31"u8.ToArray());
            clock.Advance(TimeSpan.FromSeconds(10));
            e.Process("sensors/cellar/temp", "32"u8.ToArray());
        });
        Assert.Empty(before);

        clock.Advance(TimeSpan.FromMinutes(2));
        var after = Run(temp, clock, e =>
        {
            e.AdvanceTo(clock.GetUtcNow());
            clock.Advance(TimeSpan.FromHours(1));
            e.AdvanceTo(clock.GetUtcNow());
        });

        var digest = Assert.Single(after);
        Assert.Equal(RuleEvent.Digest, digest.Event);
        Assert.Equal("attic at 31 C\ncellar at 32 C", digest.NotifyMessage);
        Assert.Empty(Run(temp, clock, e => e.AdvanceTo(clock.GetUtcNow() + TimeSpan.FromDays(1))));
    }

    [Fact]
    public void Restart_AfterADigest_IntervalStillKept()
    {
        using var temp = new TempDb();
        var clock = new FakeTimeProvider(EngineHarness.Start);
        var first = Run(temp, clock, e =>
        {
            e.Process("sensors/attic/temp", "31"u8.ToArray());
            clock.Advance(TimeSpan.FromSeconds(30));
            e.AdvanceTo(clock.GetUtcNow());
            clock.Advance(TimeSpan.FromSeconds(30));
            e.Process("sensors/cellar/temp", "32"u8.ToArray());
        });
        Assert.Single(first);

        var second = Run(temp, clock, e =>
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            e.AdvanceTo(clock.GetUtcNow());
            Assert.Equal(0, e.Metrics.ActionCount("tweet", "digest"));
            clock.Advance(TimeSpan.FromMinutes(10));
            e.AdvanceTo(clock.GetUtcNow());
        });

        var digest = Assert.Single(second);
        Assert.Equal(EngineHarness.Start + TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(30), digest.Time);
    }

    [Fact]
    public void Restart_DuringQuietHours_AlertDeliveredOnceAtTheWindowEnd()
    {
        using var temp = new TempDb();
        var clock = new FakeTimeProvider(EngineHarness.Start + TimeSpan.FromHours(23));
        var yaml = QuietHoursTests.Rules("{ from: \"22:00\", to: \"07:00\" }");
        Assert.Empty(Run(temp, clock, e => e.Process("sensors/attic/temp", "31"u8.ToArray()), yaml));

        clock.Advance(TimeSpan.FromHours(9));
        var after = Run(temp, clock, e => e.AdvanceTo(clock.GetUtcNow()), yaml);

        var alert = Assert.Single(after);
        Assert.Equal(EngineHarness.Start + TimeSpan.FromHours(31), alert.Time);
        Assert.Equal("attic at 31 C", alert.NotifyMessage);
        Assert.Empty(Run(temp, clock, e => e.AdvanceTo(clock.GetUtcNow() + TimeSpan.FromDays(1)), yaml));
    }

    [Fact]
    public void Restart_DigestKey_SameEveryTimeSoTheOutboxSendsItOnce()
    {
        var store = new MemoryHeldAlerts();
        var clock = new FakeTimeProvider(EngineHarness.Start);
        var sink = new ListActionSink();
        var first = new RuleEngine(Yaml.Rules(GroupTests.Rules), sink, new EngineOptions { Clock = clock, HeldAlerts = store });
        first.Start();
        first.Process("sensors/attic/temp", "31"u8.ToArray());
        var copy = new MemoryHeldAlerts();
        foreach (var held in store.Load())
        {
            copy.Add(held);
        }

        clock.Advance(TimeSpan.FromSeconds(30));
        first.AdvanceTo(clock.GetUtcNow());
        var again = new RuleEngine(Yaml.Rules(GroupTests.Rules), sink, new EngineOptions { Clock = clock, HeldAlerts = copy });
        again.Start();
        again.AdvanceTo(clock.GetUtcNow());

        Assert.Equal(2, sink.Actions.Count);
        Assert.Equal(sink.Actions[0].Id, sink.Actions[1].Id);
    }

    /// <summary>One run of an engine over the state file: what it sends while <paramref name="work"/> runs.</summary>
    private static List<RenderedAction> Run(TempDb temp, FakeTimeProvider clock, Action<RuleEngine> work, string? yaml = null)
    {
        using var db = temp.Open();
        var sink = new ListActionSink();
        var engine = new RuleEngine(Yaml.Rules(yaml ?? GroupTests.Rules), sink, new EngineOptions { Clock = clock, HeldAlerts = new SqliteHeldAlerts(db) });
        engine.Start();
        work(engine);
        return sink.Actions;
    }
}
