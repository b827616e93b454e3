#pragma warning disable CA1707
using MqttRules.Actions;
using MqttRules.Outbox;
using MqttRules.Actions.Publish;
using MqttRules.Rules;

namespace MqttRules.Tests.Outbox;

public sealed class PublishJournalStoreTests
{
    private static PublishAction Publish(int i) => new()
    {
        Time = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + i), RuleId = "valve", Event = RuleEvent.Resolve, Series = "m1",
        Notifier = i == 2 ? "pager" : null, Topic = $"valves/{i}/set", Payload = i == 3 ? Array.Empty<byte>() : "CLOSE"u8.ToArray(), Qos = 2, Retain = i % 2 == 0,
    };

    /// <summary>Equal but for the payload's array, which is compared by its bytes.</summary>
    private static object Comparable(PublishAction a) => (a with { Payload = default }, a.PayloadText);

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
        Assert.Equal(actions.Select(Comparable), loaded.Select(l => Comparable(l.Action)));
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

    [Fact]
    public void Load_RowOfAnEarlierVersion_PayloadStoredAsText_ReadAsItsUtf8Bytes()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        using (var insert = db.Command(
            "INSERT INTO publish_journal (seq, id, rule_id, series, event, at, notifier, topic, payload, qos, retain) VALUES (1, 'a1', 'valve', 'm1', 0, 0, NULL, 'valves/1/set', $p, 1, 0)",
            ("$p", "Zürich CLOSE")))
        {
            insert.ExecuteNonQuery();
        }

        var loaded = Assert.Single(new PublishJournal(db).Load()).Action;

        Assert.Equal("Zürich CLOSE"u8.ToArray(), loaded.Payload.ToArray());
        Assert.Equal(("a1", "valves/1/set", 1), (loaded.Id, loaded.Topic, loaded.Qos));
    }
}
