using MqttRules.Actions.Webhook;
using MqttRules.Outbox;

namespace MqttRules.Tests.Outbox;

public class OutboxStoreTests
{
    private static readonly DateTimeOffset T0 = TestActions.T0;

    [Fact]
    public void Add_SameIdTwice_StoredOnce()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var store = new OutboxStore(db);
        var action = TestActions.Webhook("http://h/x");

        Assert.True(store.Add(action, T0));
        Assert.False(store.Add(action, T0));
        Assert.Equal(1, store.Pending());
    }

    [Fact]
    public void Add_ThenReopen_RowAndActionSurvive()
    {
        using var temp = new TempDb();
        var action = TestActions.Webhook("http://h/x") with { Headers = [new("X-A", "1")] };
        using (var db = temp.Open())
        {
            new OutboxStore(db).Add(action, T0);
        }

        using var reopened = temp.Open();
        var row = Assert.Single(new OutboxStore(reopened).Due(T0, 10));

        var back = row.Action()!.As<WebhookAction>();
        Assert.Equal(action, back with { Headers = action.Headers });
        Assert.Equal(action.Headers, back.Headers);
        Assert.Equal("webhook:h:80", row.Lane);
    }

    [Fact]
    public void AddTweet_OverBudget_NullAndNotStored()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var store = new OutboxStore(db);

        Assert.True(store.AddTweet(TestActions.Tweet("1"), T0, budget: 2));
        Assert.True(store.AddTweet(TestActions.Tweet("2"), T0.AddHours(1), budget: 2));
        Assert.Null(store.AddTweet(TestActions.Tweet("3"), T0.AddHours(2), budget: 2));
        Assert.Equal(2, store.Pending());
    }

    [Fact]
    public void AddTweet_BudgetIsRolling24h_FreesAfterADay()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var store = new OutboxStore(db);
        store.AddTweet(TestActions.Tweet("1"), T0, budget: 1);

        Assert.Null(store.AddTweet(TestActions.Tweet("2"), T0.AddHours(23), budget: 1));
        Assert.True(store.AddTweet(TestActions.Tweet("3"), T0.AddHours(24).AddSeconds(1), budget: 1));
    }

    [Fact]
    public void AddTweet_BudgetSurvivesRestart()
    {
        using var temp = new TempDb();
        using (var db = temp.Open())
        {
            new OutboxStore(db).AddTweet(TestActions.Tweet("1"), T0, budget: 1);
        }

        using var reopened = temp.Open();
        Assert.Null(new OutboxStore(reopened).AddTweet(TestActions.Tweet("2"), T0.AddHours(1), budget: 1));
    }

    [Fact]
    public void Due_RescheduledRow_HiddenUntilNextAt()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var store = new OutboxStore(db);
        var action = TestActions.Webhook("http://h/x");
        store.Add(action, T0);

        store.Reschedule(Assert.Single(store.Due(T0, 10)), 1, T0.AddMinutes(1), "503");

        Assert.Empty(store.Due(T0.AddSeconds(59), 10));
        Assert.Equal(1, Assert.Single(store.Due(T0.AddMinutes(1), 10)).Attempts);
    }

    [Fact]
    public void Reschedule_FailingRow_OnlyThatRowWaits()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var store = TwoRowsForDeadOneForAlive(db);

        store.Reschedule(store.Due(T0, 10)[0], 1, T0.AddMinutes(1), "503");

        Assert.Equal(["http://dead/2", "http://alive/1"], store.Due(T0.AddSeconds(1), 10).Select(r => r.Action()!.As<WebhookAction>().Url));
        Assert.Equal(3, store.Due(T0.AddMinutes(1), 10).Count);
    }

    [Fact]
    public void HoldLane_RateLimitedPeer_HoldsBackWholeLaneNotOthers()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var store = TwoRowsForDeadOneForAlive(db);

        store.HoldLane("webhook:dead:80", T0.AddMinutes(1));

        Assert.Equal("webhook:alive:80", Assert.Single(store.Due(T0.AddSeconds(1), 10)).Lane);
        Assert.Equal(3, store.Due(T0.AddMinutes(1), 10).Count);
    }

    private static OutboxStore TwoRowsForDeadOneForAlive(MqttRules.Storage.StateDatabase db)
    {
        var store = new OutboxStore(db);
        store.Add(TestActions.Webhook("http://dead/1"), T0);
        store.Add(TestActions.Webhook("http://dead/2"), T0);
        store.Add(TestActions.Webhook("http://alive/1"), T0);
        return store;
    }

    [Fact]
    public void Due_ManyRowsInOneLane_OtherLanesStillListed()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var store = new OutboxStore(db);
        for (var i = 0; i < 50; i++)
        {
            store.Add(TestActions.Webhook("http://busy/x"), T0);
        }

        store.Add(TestActions.Webhook("http://other/x"), T0);

        var due = store.Due(T0, limit: 20, perLane: 10);

        Assert.Equal(11, due.Count);
        Assert.Contains(due, r => r.Lane == "webhook:other:80");
    }

    [Fact]
    public void DeadLetter_Row_MovedAndNoLongerPending()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var store = new OutboxStore(db);
        store.Add(TestActions.Webhook("http://h/x"), T0);
        var row = Assert.Single(store.Due(T0, 10));

        store.DeadLetter(row, 1, "400 Bad Request", T0);

        Assert.Equal(0, store.Pending());
        Assert.Equal(1, store.DeadLetters());
        Assert.False(store.Add(row.Action()!.As<WebhookAction>(), T0));
    }

    [Fact]
    public void Add_Many_AllPending()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var store = new OutboxStore(db);
        const int n = 2000;
        for (var i = 0; i < n; i++)
        {
            store.Add(TestActions.Webhook("http://h/x"), T0);
        }

        Assert.Equal(n, store.Pending());
    }
}
