using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Diagnostics;
using MqttRules.Engine;
using MqttRules.Hosting.Status;
using MqttRules.Outbox;
using MqttRules.Values;

namespace MqttRules.Tests.Hosting;

public class StatusPageTests
{
    private static readonly DateTimeOffset T0 = TestActions.T0;

    [Fact]
    public void Page_LoadsNothingFromOutside()
    {
        var html = StatusPage.Html;

        Assert.DoesNotMatch(new Regex(@"(?i)\b(?:https?|wss?|ftp):"), html);
        Assert.DoesNotMatch(new Regex(@"(?i)\b(?:src|href|action)\s*=\s*[""']?\s*//"), html);
        Assert.DoesNotMatch(new Regex(@"(?i)@import|url\s*\("), html);
        Assert.DoesNotMatch(new Regex(@"(?i)<(?:link|iframe|object|embed)\b"), html);
        Assert.DoesNotMatch(new Regex(@"(?i)<script\b[^>]*\bsrc\s*="), html);
        foreach (Match fetch in Regex.Matches(html, @"getJson\(\s*""([^""]*)"""))
        {
            Assert.StartsWith("api/", fetch.Groups[1].Value, StringComparison.Ordinal);
        }

        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void RecentEvents_KeepFiresAndResolvesOfTheLastDay_NewestFirst()
    {
        var clock = new FakeTimeProvider(T0);
        var events = new RecentEvents(clock);

        events.Add(Decision(T0, "fire", 30));
        events.Add(Decision(T0.AddMinutes(1), "message", 31));
        events.Add(Decision(T0.AddMinutes(2), "none", 32));
        events.Add(Decision(T0.AddHours(2), "resolve", 2));
        clock.SetUtcNow(T0.AddHours(3));

        Assert.Equal(["resolve", "fire"], events.Recent().Select(e => e.Event));
        Assert.Equal(30, events.Recent()[1].Value.Number);

        clock.SetUtcNow(T0.AddHours(24));
        Assert.Equal(["resolve"], events.Recent().Select(e => e.Event));
    }

    [Fact]
    public void RecentEvents_Bounded_KeepTheNewest()
    {
        var clock = new FakeTimeProvider(T0);
        var events = new RecentEvents(clock);
        for (var i = 0; i < RecentEvents.Capacity + 20; i++)
        {
            events.Add(Decision(T0.AddSeconds(i), i % 2 == 0 ? "fire" : "resolve", i));
        }

        clock.SetUtcNow(T0.AddHours(1));
        var recent = events.Recent();
        Assert.Equal(RecentEvents.Capacity, recent.Count);
        Assert.Equal(RecentEvents.Capacity + 19, recent[0].Value.Number);
        Assert.Equal(20, recent[^1].Value.Number);
    }

    [Fact]
    public void StatusJson_CountsTheOutboxAndListsDeadLettersWithTheirReason()
    {
        using var temp = new TempDb();
        using var db = temp.Open();
        var store = new OutboxStore(db);
        store.Add(TestActions.Webhook("http://h/a") with { Series = "a" }, T0);
        store.Add(TestActions.Webhook("http://h/b") with { Series = "b" }, T0);
        store.Add(TestActions.Webhook("http://h/c") with { Series = "c" }, T0);
        var rows = store.Due(T0, 10);
        store.Reschedule(rows[1], 1, T0.AddMinutes(1), "HTTP 503");
        store.DeadLetter(rows[2], 8, "HTTP 404 Not Found", T0.AddMinutes(5));
        var clock = new FakeTimeProvider(T0.AddMinutes(6));
        var events = new RecentEvents(clock);
        events.Add(Decision(T0.AddMinutes(4), "fire", 30.5));
        var metrics = new EngineMetrics { BrokerConnected = true };
        metrics.MessageReceived();

        using var json = JsonDocument.Parse(new StatusApi(metrics, store, events, () => [], clock).Json());

        var root = json.RootElement;
        Assert.True(root.GetProperty("broker_connected").GetBoolean());
        Assert.Equal(1, root.GetProperty("messages_total").GetInt64());
        var outbox = root.GetProperty("outbox");
        Assert.Equal(2, outbox.GetProperty("pending").GetInt64());
        Assert.Equal(1, outbox.GetProperty("retrying").GetInt64());
        Assert.Equal(1, outbox.GetProperty("dead_letters").GetInt64());
        var dead = Assert.Single(outbox.GetProperty("recent_dead_letters").EnumerateArray());
        Assert.Equal("HTTP 404 Not Found", dead.GetProperty("reason").GetString());
        Assert.Equal("webhook", dead.GetProperty("kind").GetString());
        Assert.Equal(8, dead.GetProperty("attempts").GetInt32());
        var fire = Assert.Single(root.GetProperty("events").EnumerateArray());
        Assert.Equal("leak", fire.GetProperty("rule").GetString());
        Assert.Equal(30.5, fire.GetProperty("value").GetDouble());
    }

    [Fact]
    public void StatusJson_WithoutNotifications_OutboxIsNull()
    {
        var clock = new FakeTimeProvider(T0);
        using var json = JsonDocument.Parse(new StatusApi(new EngineMetrics(), null, new RecentEvents(clock), () => [], clock).Json());

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("outbox").ValueKind);
        Assert.False(json.RootElement.GetProperty("broker_connected").GetBoolean());
    }

    private static RuleDecision Decision(DateTimeOffset time, string ev, double value) => new()
    {
        Time = time,
        RuleId = "leak",
        Series = "home/main/water",
        Trigger = "message",
        Value = Value.Of(value),
        Event = ev,
        Reason = "test",
        Explanation = "test",
    };
}
