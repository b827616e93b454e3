using System.Net;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions.Discord;
using MqttRules.Actions.Telegram;
using MqttRules.Rules;
using MqttRules.Tests.Outbox;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Actions.Channels;

/// <summary>A service's rate-limit answer goes through the outbox: the next attempt waits for the time it named, then delivers once.</summary>
public class ChannelRateLimitTests
{
    [Fact]
    public async Task Telegram429_RetriedAfterRetryAfterSecondsOnTheClock_DeliveredOnce()
    {
        var clock = new FakeTimeProvider(TestActions.T0);
        var attempts = new List<DateTimeOffset>();
        var stub = new StubHttp(n =>
        {
            lock (attempts)
            {
                attempts.Add(clock.GetUtcNow());
            }

            return n == 1
                ? StubHttp.Answer(HttpStatusCode.TooManyRequests, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 30\",\"parameters\":{\"retry_after\":30}}")
                : StubHttp.Answer(HttpStatusCode.OK, "{\"ok\":true}");
        });
        var executor = new TelegramExecutor(stub.Client(), new TelegramSettings(new Uri("https://tg.example"), "1:t", "-1"), clock);
        await using var h = new OutboxDeliveryTests.Harness(executor, clock: clock, kind: ActionKind.Telegram);

        h.Sink.Submit(TestActions.Telegram());
        await h.Clock.AdvanceUntilAsync(() => h.Store.Delivered() == 1, TimeSpan.FromSeconds(1), "delivery after the flood wait");

        Assert.Equal(2, attempts.Count);
        // Relative to the first attempt: on a busy machine the fake clock may have moved on before it ran.
        Assert.True(attempts[1] >= attempts[0].AddSeconds(30), $"retried at {attempts[1]:O}, first at {attempts[0]:O}");
        Assert.True(attempts[1] < attempts[0].AddSeconds(32), $"retried at {attempts[1]:O}, long after the wait (first at {attempts[0]:O})");
        Assert.Equal(1, h.Metrics.ActionCount("telegram", "delivered"));
    }

    [Fact]
    public async Task Discord404_DeadLetterAfterOneAttempt_UrlMaskedInTheDeadLetter()
    {
        var clock = new FakeTimeProvider(TestActions.T0);
        var stub = new StubHttp(HttpStatusCode.NotFound, "{\"message\":\"Unknown Webhook\",\"code\":10015}");
        var executor = new DiscordExecutor(stub.Client(), null, clock);
        using var temp = new TempDb();
        await using (var h = new OutboxDeliveryTests.Harness(executor, temp, clock: clock, kind: ActionKind.Discord))
        {
            h.Sink.Submit(TestActions.Discord(url: "https://discord.example/api/webhooks/1/tok-s3cret"));
            await Wait.UntilAsync(() => h.Store.DeadLetters() == 1, what: "dead letter");
            Assert.Single(stub.Requests);
        }

        using var db = temp.Open();
        using var cmd = db.Command("SELECT action || ' ' || error FROM dead_letter");
        var row = (string)cmd.ExecuteScalar()!;
        Assert.Contains("Unknown Webhook", row);
        Assert.DoesNotContain("s3cret", row);
    }
}
