using MqttRules.IntegrationTests.Peers;
using MqttRules.Storage;

namespace MqttRules.IntegrationTests.Notifications;

/// <summary>
/// Rows an earlier version left in the outbox (its flat JSON form, written here exactly as it wrote
/// them) are delivered by this version after an upgrade: to a real HTTP peer, the X fake and the SMTP fake.
/// </summary>
public class UpgradeDeliveryTests
{
    private static readonly string[] V1 = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Notifications", "TestData", "outbox-v1.jsonl"));

    [Fact]
    public async Task Outbox_RowsWrittenByVersion1_DeliveredAfterTheUpgrade()
    {
        await using var hook = await FakeHttpPeer.StartAsync((_, ctx) =>
        {
            ctx.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
        await using var x = await FakeHttpPeer.StartAsync(FakeXApi.Handler());
        await using var smtp = FakeSmtpServer.Start();
        var path = TempDb.NewPath();
        try
        {
            var webhook = V1[1].Replace("127.0.0.1:5555", $"127.0.0.1:{hook.Port}", StringComparison.Ordinal);
            WriteRows(path, ("legacy-tweet-1", "tweet", "tweet", V1[0]), ("legacy-webhook-1", "webhook", $"webhook:127.0.0.1:{hook.Port}", webhook),
                ("legacy-email-1", "email", "email", V1[2]));
            var env = new Dictionary<string, string>(FakeXApi.Env(x.BaseUrl))
            {
                ["SMTP_URL"] = $"smtp://127.0.0.1:{smtp.Port}",
                ["SMTP_FROM"] = "rules@example.com",
            };

            await using var h = await Harness.StartAsync(env, path: path);

            await Wait.UntilAsync(() => h.Store.Delivered() == 3, what: "the three rows of version 1 delivered\n" + string.Join('\n', h.Logs.Lines));
            var call = Assert.Single(hook.Requests);
            Assert.Equal("/hook?room=kitchen", new Uri(call.Url).PathAndQuery);
            Assert.Equal(("legacy-webhook-1", "kitchen"), (call.Headers["Idempotency-Key"], call.Headers["X-Room"]));
            Assert.Equal(("{\"text\":\"Freezer at -5 C\"}", "application/json; charset=utf-8"), (call.Body, call.Headers["Content-Type"]));
            var tweet = Assert.Single(x.Requests);
            Assert.True(FakeXApi.SignatureValid(tweet));
            Assert.Equal("Water at main: 12.5 L/min", FakeXApi.TextOf(tweet));
            var mail = Assert.Single(smtp.Messages);
            Assert.Equal(["ops@example.test", "home@example.test"], mail.To.Mailboxes.Select(m => m.Address));
            Assert.Equal(("Freezer back", "Freezer at -18 C"), (mail.Subject, mail.TextBody!.Trim()));
            Assert.Equal(0, h.Store.Pending());
            Assert.Equal(0, h.Store.DeadLetters());
        }
        finally
        {
            TempDb.Delete(path);
        }
    }

    /// <summary>Pending rows as version 1's <c>OutboxStore.Add</c> wrote them.</summary>
    private static void WriteRows(string path, params (string Id, string Kind, string Lane, string Json)[] rows)
    {
        using var db = StateDatabase.Open(path);
        foreach (var (id, kind, lane, json) in rows)
        {
            using var insert = db.Command("INSERT INTO outbox (id, kind, lane, action, created_at, next_at) VALUES ($id, $kind, $lane, $action, 0, 0)",
                ("$id", id), ("$kind", kind), ("$lane", lane), ("$action", json));
            insert.ExecuteNonQuery();
        }
    }
}
