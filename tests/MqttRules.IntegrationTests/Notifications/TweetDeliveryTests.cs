using System.Globalization;
using Microsoft.AspNetCore.Http;
using MqttRules.Actions.Tweet;
using MqttRules.IntegrationTests.Peers;

namespace MqttRules.IntegrationTests.Notifications;

public class TweetDeliveryTests
{
    [Fact]
    public async Task Tweet_ValidCredentials_SignedJsonPostDeliveredOnce()
    {
        await using var x = await FakeHttpPeer.StartAsync(FakeXApi.Handler());
        await using var h = await Harness.StartAsync(FakeXApi.Env(x.BaseUrl));

        h.Services.Outbox.Submit(Actions.Tweet("Water at main: 12.5 L/min"));

        await Wait.UntilAsync(() => h.Metrics.ActionCount("tweet", "delivered") == 1, what: "tweet delivered");
        var request = Assert.Single(x.Requests);
        Assert.True(FakeXApi.SignatureValid(request));
        Assert.StartsWith("application/json", request.Headers["Content-Type"]);
        Assert.Equal("Water at main: 12.5 L/min", FakeXApi.TextOf(request));
        Assert.Equal(0, h.Store.Pending());
    }

    [Fact]
    public async Task Tweet_TooLong_PostedShortenedWithin280()
    {
        await using var x = await FakeHttpPeer.StartAsync(FakeXApi.Handler());
        await using var h = await Harness.StartAsync(FakeXApi.Env(x.BaseUrl));

        h.Services.Outbox.Submit(Actions.Tweet("水位 " + string.Concat(Enumerable.Repeat("alert 🚰 ", 60))));

        await Wait.UntilAsync(() => x.Accepted == 1, what: "tweet accepted");
        var text = FakeXApi.TextOf(Assert.Single(x.Requests))!;
        Assert.EndsWith("…", text);
        Assert.True(TweetText.WeightedLength(text) <= 280);
    }

    [Fact]
    public async Task Tweet_429WithReset_WaitsUntilResetThenDelivers()
    {
        var reset = DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeSeconds();
        await using var x = await FakeHttpPeer.StartAsync(FakeXApi.Handler(async (r, ctx) =>
        {
            if (r.Number == 1)
            {
                ctx.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                ctx.Response.Headers["x-rate-limit-remaining"] = "0";
                ctx.Response.Headers["x-rate-limit-reset"] = reset.ToString(CultureInfo.InvariantCulture);
                return;
            }

            ctx.Response.StatusCode = 201;
            await ctx.Response.WriteAsync("{\"data\":{\"id\":\"2\"}}");
        }));
        await using var h = await Harness.StartAsync(FakeXApi.Env(x.BaseUrl));

        h.Services.Outbox.Submit(Actions.Tweet("rate limited"));

        await Wait.UntilAsync(() => x.Accepted == 1, what: "delivery after reset");
        var second = x.Requests.ElementAt(1);
        Assert.True(second.At >= DateTimeOffset.FromUnixTimeSeconds(reset).AddMilliseconds(-50), $"retried at {second.At:O}, reset {reset}");
        Assert.Equal(2, x.Requests.Count);
    }

    [Fact]
    public async Task Tweet_WrongSecret_401DeadLetterNamingCredentialsWithoutSecrets()
    {
        await using var x = await FakeHttpPeer.StartAsync(FakeXApi.Handler());
        var env = new Dictionary<string, string>(FakeXApi.Env(x.BaseUrl)) { ["X_API_SECRET"] = "wrong-secret-value" };
        await using var h = await Harness.StartAsync(env);

        h.Services.Outbox.Submit(Actions.Tweet("will be refused"));

        await Wait.UntilAsync(() => h.Store.DeadLetters() == 1, what: "dead letter");
        Assert.Single(x.Requests);
        var error = h.DeadLetterError();
        Assert.Contains("X_API_SECRET", error);
        Assert.DoesNotContain("wrong-secret-value", error);
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains("wrong-secret-value", StringComparison.Ordinal) || l.Contains(FakeXApi.Credentials.AccessTokenSecret, StringComparison.Ordinal));
        Assert.Equal(1, h.Metrics.ActionCount("tweet", "dead_letter"));
    }

    [Fact]
    public async Task Tweet_Duplicate403_FinalNotRetried()
    {
        await using var x = await FakeHttpPeer.StartAsync(FakeXApi.Handler(async (_, ctx) =>
        {
            ctx.Response.StatusCode = 403;
            await ctx.Response.WriteAsync("{\"detail\":\"You are not allowed to create a Tweet with duplicate content.\",\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403}");
        }));
        await using var h = await Harness.StartAsync(FakeXApi.Env(x.BaseUrl));

        h.Services.Outbox.Submit(Actions.Tweet("same again"));

        await Wait.UntilAsync(() => h.Store.DeadLetters() == 1, what: "dead letter");
        Assert.Contains("duplicate", h.DeadLetterError());
        await h.SettleLaneAsync(Actions.Tweet(Harness.Marker));
        Assert.Single(x.Requests, r => !r.Body.Contains(Harness.Marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tweet_NoCredentials_WarnedAtStartLoggedNotSent()
    {
        await using var h = await Harness.StartAsync(new Dictionary<string, string>());

        h.Services.Outbox.Submit(Actions.Tweet("nobody will see this"));

        Assert.Single(h.Logs.Lines, l => l.StartsWith("Warning: X credentials are not configured", StringComparison.Ordinal));
        Assert.Contains(h.Logs.Lines, l => l.Contains("tweet not sent", StringComparison.Ordinal) && l.Contains("nobody will see this", StringComparison.Ordinal));
        Assert.Equal(1, h.Metrics.ActionCount("tweet", "not_sent"));
        Assert.Equal(0, h.Store.Pending());
    }

    [Fact]
    public async Task Tweet_BudgetFromEnvironment_ExtraTweetsDroppedAndCounted()
    {
        await using var x = await FakeHttpPeer.StartAsync(FakeXApi.Handler());
        var env = new Dictionary<string, string>(FakeXApi.Env(x.BaseUrl)) { ["MQTTRULES_TWEET_BUDGET"] = "2" };
        await using var h = await Harness.StartAsync(env);

        for (var i = 0; i < 4; i++)
        {
            h.Services.Outbox.Submit(Actions.Tweet($"storm {i}"));
        }

        await Wait.UntilAsync(() => x.Accepted == 2, what: "two tweets");
        Assert.Equal(2, h.Metrics.ActionCount("tweet", "over_budget"));
        Assert.Contains(h.Logs.Lines, l => l.Contains("budget of 2 tweets", StringComparison.Ordinal));
    }
}
