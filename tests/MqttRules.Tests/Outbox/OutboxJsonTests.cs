using MqttRules.Actions;
using MqttRules.Actions.Email;
using MqttRules.Actions.Log;
using MqttRules.Actions.Publish;
using MqttRules.Actions.Tweet;
using MqttRules.Actions.Webhook;
using MqttRules.Outbox;

namespace MqttRules.Tests.Outbox;

/// <summary>The stored form of actions: versioned, and rows of the version before it are still read.</summary>
public class OutboxJsonTests
{
    /// <summary>
    /// Exactly what the flat <c>RenderedAction</c> of version 1 stored: a tweet, a notifier's webhook, an
    /// e-mail and a (dead-lettered) publish, serialized by main at 54ba210. The delivery tests use the same file.
    /// </summary>
    internal static class V1
    {
        private static readonly string[] Lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Outbox", "TestData", "outbox-v1.jsonl"));

        public static string Tweet => Lines[0];
        public static string Webhook => Lines[1];
        public static string Email => Lines[2];
        public static string Publish => Lines[3];
    }

    private static readonly ActionOrigin Origin = new(new DateTimeOffset(2026, 1, 1, 0, 10, 0, TimeSpan.Zero), "water-high", RuleEvent.Fire, "home/main/water");

    [Fact]
    public void Write_NamesTheVersionAndTheKind()
    {
        var json = OutboxJson.Write(new TweetAction { Origin = Origin, Id = "t1", Text = "hi" });

        Assert.StartsWith("""{"v":2,"action":{"type":"tweet",""", json, StringComparison.Ordinal);
        Assert.Contains("\"text\":\"hi\"", json, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"t1\"", json, StringComparison.Ordinal);
        Assert.Equal("""{"v":2,"action":{"type":"tweet","text":"hi","time":"2026-01-01T00:10:00+00:00","ruleId":"water-high","event":"Fire","series":"home/main/water","id":"t1"}}""", json);
    }

    public static TheoryData<RenderedAction> EveryKind() =>
    [
        new TweetAction { Origin = Origin, Id = "a", Text = "Water 🚰 at main" },
        new WebhookAction { Origin = Origin, Id = "b", Url = "https://h/x", Method = "PUT", Body = "{\"a\":1}", BodyIsJson = true, Notifier = "ops", NotifyMessage = "m" },
        new EmailAction { Origin = Origin, Id = "c", ToIsList = true, Subject = "s", Body = "b" },
        new LogAction { Origin = Origin, Id = "d", Message = "m", Level = "warning", Notifier = "ops" },
        new PublishAction { Origin = Origin, Id = "e", Topic = "t/1", Qos = 2, Retain = true, PayloadIsJson = true },
        new MqttRules.Actions.Mastodon.MastodonAction { Origin = Origin, Id = "f", Status = "leak", Visibility = "unlisted", SpoilerText = "cw" },
        new MqttRules.Actions.Ntfy.NtfyAction { Origin = Origin, Id = "g", Topic = "t", Message = "m", Title = "x", Priority = 5, Tags = ["a", "b"], Click = "https://h" },
        new MqttRules.Actions.Telegram.TelegramAction { Origin = Origin, Id = "h", Text = "m", ChatId = "-1001" },
        new MqttRules.Actions.Slack.SlackAction { Origin = Origin, Id = "i", Text = "m", Url = "https://hooks/x", Notifier = "ops", NotifyMessage = "m" },
        new MqttRules.Actions.Discord.DiscordAction { Origin = Origin, Id = "j", Content = "m", Username = "u" },
    ];

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void WriteThenRead_EveryKind_SameAction(RenderedAction action)
    {
        var json = OutboxJson.Write(action);
        var back = OutboxJson.Read(json);

        Assert.IsType(action.GetType(), back);
        Assert.Equal(json, OutboxJson.Write(back!));
        Assert.Equal((action.Id, action.Time, action.Notifier, action.NotifyMessage), (back!.Id, back.Time, back.Notifier, back.NotifyMessage));
    }

    [Fact]
    public void WriteThenRead_PublishPayload_SameBytesEvenWhenNotUtf8()
    {
        byte[] payload = [0x7B, 0xFF, 0x00, 0xC3, 0xA9];

        var back = OutboxJson.Read(OutboxJson.Write(new PublishAction { Origin = Origin, Topic = "t", Payload = payload }));

        Assert.Equal(payload, Assert.IsType<PublishAction>(back).Payload.ToArray());
    }

    [Fact]
    public void Read_Version1Tweet_TheSameTweet()
    {
        var tweet = Assert.IsType<TweetAction>(OutboxJson.Read(V1.Tweet));

        Assert.Equal(new TweetAction { Origin = Origin, Id = "legacy-tweet-1", Text = "Water at main: 12.5 L/min" }, tweet);
    }

    [Fact]
    public void Read_Version1NotifierWebhook_KeepsHeadersBodyAndTheNotifiersMessage()
    {
        var hook = Assert.IsType<WebhookAction>(OutboxJson.Read(V1.Webhook));

        Assert.Equal(("legacy-webhook-1", "freezer-warm", "kitchen/freezer/temp"), (hook.Id, hook.RuleId, hook.Series));
        Assert.Equal(("http://127.0.0.1:5555/hook?room=kitchen", "POST"), (hook.Url, hook.Method));
        Assert.Equal([new KeyValuePair<string, string>("X-Room", "kitchen")], hook.Headers);
        Assert.Equal(("{\"text\":\"Freezer at -5 C\"}", true), (hook.Body, hook.BodyIsJson));
        Assert.Equal(("ops", "Freezer at -5 C"), (hook.Notifier, hook.NotifyMessage));
        Assert.Equal("webhook:127.0.0.1:5555", hook.DeliveryLane());
    }

    [Fact]
    public void Read_Version1Email_RecipientsAsAList()
    {
        var mail = Assert.IsType<EmailAction>(OutboxJson.Read(V1.Email));

        Assert.Equal(RuleEvent.Resolve, mail.Event);
        Assert.Equal(["ops@example.test", "home@example.test"], mail.To);
        Assert.True(mail.ToIsList);
        Assert.Equal(("Freezer back", "Freezer at -18 C"), (mail.Subject, mail.Body));
    }

    [Fact]
    public void Read_Version1DeadLetteredPublish_PayloadAsUtf8()
    {
        var publish = Assert.IsType<PublishAction>(OutboxJson.Read(V1.Publish));

        Assert.Equal(("valves/main/set", "CLOSE", 1, true), (publish.Topic, publish.PayloadText, publish.Qos, publish.Retain));
    }

    [Theory]
    [InlineData("""{"v":3,"action":{"type":"tweet","text":"from the future"}}""")]
    [InlineData("""{"v":2,"action":{"type":"carrier-pigeon"}}""")]
    [InlineData("not json")]
    [InlineData("""{"Kind":"Notify"}""")]
    public void Read_UnreadableRow_Null(string json) => Assert.Null(OutboxJson.Read(json));
}
