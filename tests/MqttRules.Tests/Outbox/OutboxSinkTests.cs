using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Actions.Publish;
using MqttRules.Diagnostics;
using MqttRules.Outbox;
using MqttRules.Rules;

namespace MqttRules.Tests.Outbox;

public class OutboxSinkTests
{
    [Fact]
    public void Submit_TweetWithoutCredentials_NotStoredCountedNotSent()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var store = new OutboxStore(db);
        var metrics = new EngineMetrics();
        var sink = new OutboxSink(store, new FakeTimeProvider(TestActions.T0), NullLogger.Instance, metrics, 50);

        sink.Submit(TestActions.Tweet());

        Assert.Equal(0, store.Pending());
        Assert.Equal(1, metrics.ActionCount("tweet", "not_sent"));
    }

    [Fact]
    public void Submit_TweetsOverBudget_DroppedAndCounted()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var store = new OutboxStore(db);
        var metrics = new EngineMetrics();
        var sink = new OutboxSink(store, new FakeTimeProvider(TestActions.T0), NullLogger.Instance, metrics, 2)
        {
            Enabled = new HashSet<ActionKind> { ActionKind.Tweet },
        };

        for (var i = 0; i < 5; i++)
        {
            sink.Submit(TestActions.Tweet($"t{i}"));
        }

        Assert.Equal(2, store.Pending());
        Assert.Equal(2, metrics.ActionCount("tweet", "queued"));
        Assert.Equal(3, metrics.ActionCount("tweet", "over_budget"));
    }

    [Fact]
    public void Submit_Webhook_StoredAndWakesDelivery()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var store = new OutboxStore(db);
        var woken = 0;
        var sink = new OutboxSink(store, new FakeTimeProvider(TestActions.T0), NullLogger.Instance, new EngineMetrics(), 50) { Stored = () => woken++ };

        sink.Submit(TestActions.Webhook("http://h/x"));

        Assert.Equal(1, store.Pending());
        Assert.Equal(1, woken);
    }

    [Fact]
    public void Submit_StoreBroken_NeverThrowsCountsFailure()
    {
        using var temp = new TempDb();
        var db = temp.Open();
        var store = new OutboxStore(db);
        var metrics = new EngineMetrics();
        var sink = new OutboxSink(store, new FakeTimeProvider(TestActions.T0), NullLogger.Instance, metrics, 50);
        db.Dispose();

        sink.Submit(TestActions.Webhook("http://h/x"));

        Assert.Equal(1, metrics.ActionCount("webhook", "store_failed"));
    }

    [Fact]
    public void Submit_PublishAction_Ignored()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var store = new OutboxStore(db);
        var sink = new OutboxSink(store, new FakeTimeProvider(TestActions.T0), NullLogger.Instance, new EngineMetrics(), 50);

        sink.Submit(new PublishAction { Time = TestActions.T0, RuleId = "r", Event = RuleEvent.Fire, Topic = "a" });

        Assert.Equal(0, store.Pending());
    }
}
