#pragma warning disable CA1707
using MqttRules.Actions;
using MqttRules.Actions.Publish;
using MqttRules.Actions.Webhook;
using MqttRules.Outbox;
using MqttRules.Rules;
using MqttRules.State;
using MqttRules.Storage;

namespace MqttRules.Tests.Storage;

/// <summary>
/// Issue 10.2: a state file that cannot take a write (here: full, by SQLite's <c>max_page_count</c>)
/// loses nothing: the writes are held in order and saved once it can.
/// </summary>
public sealed class HeldWritesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static SeriesSnapshot Firing(string series) => new("hot", series, Phase.Firing, T0, T0, null, T0, "t", new byte[512], null, null);

    private static WebhookAction Webhook(int i) => new()
    {
        Time = T0, RuleId = "hot", Event = RuleEvent.Fire, Url = "http://127.0.0.1:9/hook", Body = new string('x', 2000) + i,
    };

    /// <summary>Lets the file grow by no page more than it has now: the next write that needs a page fails with SQLITE_FULL.</summary>
    private static void Fill(StateDatabase db)
    {
        db.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        using var count = db.Command("PRAGMA page_count");
        var pages = (long)count.ExecuteScalar()!;
        db.Execute($"PRAGMA max_page_count = {pages}");
    }

    private static void MakeRoom(StateDatabase db) => db.Execute("PRAGMA max_page_count = 1073741823");

    [Fact]
    public void SaveSeries_DiskFull_IsHeldAndSavedWhenThereIsRoomAgain()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var store = new SqliteStateStore(db);
        Fill(db);

        store.SaveSeries(Enumerable.Range(0, 50).Select(i => Firing($"s{i}")).ToArray());

        Assert.False(db.Healthy);
        Assert.Contains("full", db.Problem, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(store.LoadSeries());
        Assert.False(db.RetryHeld());

        MakeRoom(db);

        Assert.True(db.RetryHeld());
        Assert.True(db.Healthy);
        Assert.Null(db.Problem);
        Assert.Equal(50, store.LoadSeries().Count);
    }

    [Fact]
    public void Writes_WhileHeld_KeepTheirOrder()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var store = new SqliteStateStore(db);
        Fill(db);

        store.SaveSeries(Enumerable.Range(0, 50).Select(i => Firing($"s{i}")).ToArray());
        store.SaveSeries([Firing("s7") with { Phase = Phase.Idle }]);
        MakeRoom(db);
        db.RetryHeld();

        Assert.Equal(Phase.Idle, store.LoadSeries().Single(s => s.Series == "s7").Phase);
    }

    [Fact]
    public void OutboxAdd_DiskFull_CountsAsQueuedAndIsStoredLater()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var outbox = new OutboxStore(db);
        Fill(db);

        var added = Enumerable.Range(0, 20).Select(i => outbox.Add(Webhook(i), T0)).ToList();

        Assert.All(added, Assert.True);
        Assert.False(db.Healthy);
        Assert.True(outbox.Pending() < 20);
        MakeRoom(db);
        Assert.True(db.RetryHeld());
        Assert.Equal(20, outbox.Pending());
    }

    [Fact]
    public void Journal_DiskFull_IsHeldLikeEveryOtherWrite()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var journal = new PublishJournal(db);
        Fill(db);

        journal.Save(Enumerable.Range(1, 30).Select(i => new JournaledPublish(i, new PublishAction { Time = T0, RuleId = "hot", Event = RuleEvent.Fire, Topic = "t", Payload = new byte[1000] })).ToArray(), []);

        Assert.False(db.Healthy);
        Assert.True(journal.Count() < 30);
        MakeRoom(db);
        db.RetryHeld();
        Assert.Equal(30, journal.Load().Count);
    }

    [Fact]
    public void OutboxMarkDelivered_DiskFull_IsHeldAndTheRowIsNotDueAgain()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var outbox = new OutboxStore(db);
        outbox.Add(Webhook(1), T0);
        var row = Assert.Single(outbox.Due(T0, 10));
        Fill(db);
        for (var i = 2; i < 40 && db.Healthy; i++)
        {
            outbox.Add(Webhook(i), T0);   // fills the last free page
        }

        outbox.MarkDelivered(row.Id, T0);

        Assert.DoesNotContain(outbox.Due(T0, 100), r => r.Id == row.Id);
        MakeRoom(db);
        Assert.True(db.RetryHeld());
        Assert.Equal(1, outbox.Delivered());
        Assert.DoesNotContain(outbox.Due(T0, 100), r => r.Id == row.Id);
    }
}
