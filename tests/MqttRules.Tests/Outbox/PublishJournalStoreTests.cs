#pragma warning disable CA1707
using MqttRules.Actions;
using MqttRules.Outbox;
using MqttRules.Rules;

namespace MqttRules.Tests.Outbox;

public sealed class PublishJournalStoreTests
{
    private static RenderedAction Publish(int i) => new()
    {
        Time = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + i), RuleId = "valve", Event = RuleEvent.Resolve, Series = "m1",
        Kind = ActionKind.Publish, Notifier = i == 2 ? "pager" : null, Topic = $"valves/{i}/set", Payload = i == 3 ? null : "CLOSE", Qos = 2, Retain = i % 2 == 0,
    };

    [Fact]
    public void Save_ThenLoad_RoundTripsWhatASendNeeds_InOrder()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var journal = new PublishJournal(db);
        var actions = Enumerable.Range(1, 4).Select(Publish).ToArray();

        journal.Save(actions.Select((a, i) => new JournaledPublish(10 + i, a)).Reverse().ToArray(), []);

        var loaded = journal.Load();
        Assert.Equal([10L, 11, 12, 13], loaded.Select(l => l.Seq));
        Assert.Equal(actions, loaded.Select(l => l.Action));
        Assert.Equal(14, journal.NextSeq());
    }

    [Fact]
    public void Save_Remove_DeletesExactlyThoseRows_ConsecutiveOrNot()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var journal = new PublishJournal(db);
        journal.Save(Enumerable.Range(1, 9).Select(i => new JournaledPublish(i, Publish(i))).ToArray(), []);

        journal.Save([], [7, 1, 2, 3, 5, 9]);

        Assert.Equal([4L, 6, 8], journal.Load().Select(l => l.Seq));
    }
}
