using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Actions.Delivery;
using MqttRules.Actions.Tweet;
using MqttRules.Diagnostics;
using MqttRules.Outbox;
using MqttRules.Rules;

namespace MqttRules.Tests.Notifiers;

/// <summary>A notifier's channels in order of preference: the next one gets the alert when one fails for good or is over its budget (issue 15, point 5).</summary>
public class FallbackTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    /// <summary>A tweet of the notifier "phone" whose next channel is a webhook.</summary>
    private static TweetAction Alert(string text = "Water at main: 12.5 L/min") => TestActions.Tweet(text) with
    {
        Notifier = "phone",
        NotifyMessage = text,
        Fallbacks = [TestActions.Webhook("http://backup.example/hook", $"{{\"text\":\"{text}\"}}") with { Notifier = "phone", NotifyMessage = text }],
    };

    [Fact]
    public async Task Fallback_PermanentRejection_NextChannelDeliversOnce()
    {
        await using var h = new Harness(tweet: _ => DeliveryResult.Rejected("403 Forbidden"), webhook: _ => DeliveryResult.Ok());
        var alert = Alert();
        h.Sink.Submit(alert);

        await h.Clock.AdvanceUntilAsync(() => h.Store.Delivered() == 1, Step, "the webhook fallback");

        Assert.Equal(1, h.Calls("tweet"));
        Assert.Equal(1, h.Calls("webhook"));
        Assert.Equal(1, h.Store.DeadLetters());
        Assert.Equal(0, h.Store.Pending());
        Assert.Equal(1, h.Metrics.ActionCount("tweet", "fell_through"));
        Assert.Equal(1, h.Metrics.ActionCount("webhook", "delivered"));
        var sent = Assert.Single(h.Seen("webhook"));
        Assert.Equal($"{alert.Id}+webhook", sent.Id);
        Assert.Equal("phone", sent.Notifier);
    }

    [Fact]
    public async Task Fallback_RetriesExhausted_NextChannelAfterMaxAttempts()
    {
        await using var h = new Harness(tweet: _ => DeliveryResult.Transient("503 Service Unavailable"), webhook: _ => DeliveryResult.Ok());
        h.Sink.Submit(Alert());

        await h.Clock.AdvanceUntilAsync(() => h.Store.Delivered() == 1, Step, "the webhook fallback");
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(100);

        Assert.Equal(FastDelivery.Options.MaxAttempts, h.Calls("tweet"));
        Assert.Equal(1, h.Calls("webhook"));
        Assert.Equal(0, h.Store.Pending());
    }

    [Fact]
    public async Task Fallback_SingleChannelTransient_KeepsRetryingAsBefore()
    {
        var calls = 0;
        await using var h = new Harness(tweet: _ => ++calls <= 5 ? DeliveryResult.Transient("503") : DeliveryResult.Ok(), webhook: _ => DeliveryResult.Ok());
        h.Sink.Submit(TestActions.Tweet());

        await h.Clock.AdvanceUntilAsync(() => h.Store.Delivered() == 1, Step, "the tweet after its retries");

        Assert.Equal(6, h.Calls("tweet"));
        Assert.Equal(0, h.Store.DeadLetters());
    }

    [Fact]
    public async Task Fallback_TweetOverBudget_WebhookGetsTheAlert()
    {
        await using var h = new Harness(tweet: _ => DeliveryResult.Ok(), webhook: _ => DeliveryResult.Ok(), tweetBudget: 1);
        h.Sink.Submit(Alert("first"));
        h.Sink.Submit(Alert("second") with { Id = "second-alert" });

        await h.Clock.AdvanceUntilAsync(() => h.Store.Delivered() == 2, Step, "the tweet and the webhook");

        Assert.Equal("first", Assert.Single(h.Seen("tweet")).NotifyMessage);
        Assert.Equal("second", Assert.Single(h.Seen("webhook")).NotifyMessage);
        Assert.Equal(1, h.Metrics.ActionCount("tweet", "fell_through"));
        Assert.Equal(0, h.Metrics.ActionCount("tweet", "over_budget"));
    }

    [Fact]
    public async Task Fallback_FallbackIsATweetOverBudget_SkippedToTheChannelAfterIt()
    {
        await using var h = new Harness(tweet: _ => DeliveryResult.Ok(), webhook: a => a.As<MqttRules.Actions.Webhook.WebhookAction>().Url.Contains("first", StringComparison.Ordinal)
            ? DeliveryResult.Rejected("410 Gone") : DeliveryResult.Ok(), tweetBudget: 0);
        var last = TestActions.Webhook("http://last.example/hook") with { Notifier = "phone" };
        h.Sink.Submit(TestActions.Webhook("http://first.example/hook") with { Notifier = "phone", Fallbacks = [TestActions.Tweet() with { Notifier = "phone" }, last] });

        await h.Clock.AdvanceUntilAsync(() => h.Store.Delivered() == 1, Step, "the last channel");

        Assert.Equal(0, h.Calls("tweet"));
        Assert.Equal(2, h.Calls("webhook"));
        Assert.EndsWith("+tweet+webhook", h.Seen("webhook")[1].Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fallback_KindNotSetUp_NextChannelGetsIt()
    {
        await using var h = new Harness(tweet: null, webhook: _ => DeliveryResult.Ok());
        h.Sink.Submit(Alert());

        await h.Clock.AdvanceUntilAsync(() => h.Store.Delivered() == 1, Step, "the webhook");

        Assert.Equal(1, h.Calls("webhook"));
        Assert.Equal(0, h.Metrics.ActionCount("tweet", "not_sent"));
    }

    [Fact]
    public async Task Fallback_RestartAfterFallingThrough_FallbackDeliveredOnce()
    {
        using var temp = new TempDb();
        await using (var first = new Harness(tweet: _ => DeliveryResult.Rejected("403"), webhook: _ => null, temp: temp))
        {
            first.Sink.Submit(Alert());
            await first.Clock.AdvanceUntilAsync(() => first.Calls("webhook") == 1, Step, "the webhook attempt that hangs");
        }

        await using var second = new Harness(tweet: _ => DeliveryResult.Rejected("403"), webhook: _ => DeliveryResult.Ok(), temp: temp);
        await second.Clock.AdvanceUntilAsync(() => second.Store.Delivered() == 1, Step, "the fallback after the restart");
        second.Clock.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(100);

        Assert.Equal(0, second.Calls("tweet"));
        Assert.Equal(1, second.Calls("webhook"));
        Assert.Equal(1, second.Store.DeadLetters());
    }

    /// <summary>An outbox with a scripted executor per kind (null script: the kind is not set up; a null result hangs).</summary>
    private sealed class Harness : IAsyncDisposable
    {
        private readonly TempDb? ownTemp;
        private readonly MqttRules.Storage.StateDatabase db;
        private readonly ConcurrentDictionary<string, ConcurrentQueue<RenderedAction>> seen = new();

        public Harness(Func<RenderedAction, DeliveryResult?>? tweet, Func<RenderedAction, DeliveryResult?> webhook, int tweetBudget = 50, TempDb? temp = null)
        {
            ownTemp = temp is null ? new TempDb() : null;
            db = (temp ?? ownTemp!).Open();
            Store = new OutboxStore(db);
            var executors = new Dictionary<ActionKind, IActionExecutor> { [ActionKind.Webhook] = new Scripted(this, webhook) };
            if (tweet is not null)
            {
                executors[ActionKind.Tweet] = new Scripted(this, tweet);
            }

            var options = FastDelivery.Options with { TweetBudget = tweetBudget };
            Delivery = new OutboxDelivery(Store, executors, options, Clock, NullLogger.Instance, Metrics);
            Sink = new OutboxSink(Store, Clock, NullLogger.Instance, Metrics, tweetBudget) { Enabled = executors.Keys.ToHashSet(), Stored = Delivery.Wake };
            Delivery.Start();
        }

        public FakeTimeProvider Clock { get; } = new(TestActions.T0);
        public EngineMetrics Metrics { get; } = new();
        public OutboxStore Store { get; }
        public OutboxSink Sink { get; }
        public OutboxDelivery Delivery { get; }

        public int Calls(string kind) => Seen(kind).Count;

        public IReadOnlyList<RenderedAction> Seen(string kind) => [.. seen.GetOrAdd(kind, _ => new())];

        public async ValueTask DisposeAsync()
        {
            await Clock.AdvanceUntilDoneAsync(Delivery.StopAsync(), TimeSpan.FromMilliseconds(100), "delivery stop");
            await Delivery.DisposeAsync();
            db.Dispose();
            ownTemp?.Dispose();
        }

        private sealed class Scripted(Harness owner, Func<RenderedAction, DeliveryResult?> script) : IActionExecutor
        {
            public async Task<DeliveryResult> ExecuteAsync(RenderedAction action, CancellationToken cancellationToken)
            {
                owner.seen.GetOrAdd(action.KindText, _ => new()).Enqueue(action);
                if (script(action) is { } result)
                {
                    return result;
                }

                await Task.Delay(Timeout.Infinite, cancellationToken);
                throw new OperationCanceledException(cancellationToken);
            }
        }
    }
}
