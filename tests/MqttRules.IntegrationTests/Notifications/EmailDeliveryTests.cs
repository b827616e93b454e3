using MqttRules.IntegrationTests.Peers;

namespace MqttRules.IntegrationTests.Notifications;

public class EmailDeliveryTests
{
    [Fact]
    public async Task Email_ListOfRecipients_DeliveredBySmtp()
    {
        await using var smtp = FakeSmtpServer.Start();
        await using var h = await Harness.StartAsync(new Dictionary<string, string>
        {
            ["SMTP_URL"] = $"smtp://127.0.0.1:{smtp.Port}",
            ["SMTP_FROM"] = "MqttRules <rules@example.com>",
        });

        h.Services.Outbox.Submit(Actions.Email("ops@example.com", "oncall@example.com"));

        await Wait.UntilAsync(() => h.Store.Delivered() == 1, what: "email delivered");
        var message = Assert.Single(smtp.Messages);
        Assert.Equal(["ops@example.com", "oncall@example.com"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("rules@example.com", message.From.Mailboxes.Single().Address);
        Assert.Equal("Freezer warm", message.Subject);
        Assert.Equal("Freezer at -5 C", message.TextBody!.Trim());
    }

    [Fact]
    public async Task Email_StartTlsRequiredButNotOffered_DeadLetterSaysWhy()
    {
        await using var smtp = FakeSmtpServer.Start();
        await using var h = await Harness.StartAsync(new Dictionary<string, string>
        {
            ["SMTP_URL"] = $"smtp://alerts:pw-not-to-be-seen@127.0.0.1:{smtp.Port}?starttls=required",
            ["SMTP_FROM"] = "rules@example.com",
        });

        h.Services.Outbox.Submit(Actions.Email("ops@example.com"));

        await Wait.UntilAsync(() => h.Store.DeadLetters() == 1, what: "dead letter");
        Assert.Empty(smtp.Messages);
        Assert.Contains("STARTTLS", h.DeadLetterError());
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains("pw-not-to-be-seen", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Email_ServerDownThenUp_Delivered()
    {
        var port = FakeHttpPeer.FreePort();
        await using var h = await Harness.StartAsync(new Dictionary<string, string> { ["SMTP_URL"] = $"smtp://127.0.0.1:{port}", ["SMTP_FROM"] = "rules@example.com" });

        h.Services.Outbox.Submit(Actions.Email("ops@example.com"));
        await Wait.UntilAsync(() => h.Metrics.ActionCount("email", "retry") >= 1, what: "a failed round");

        await using var smtp = FakeSmtpServer.StartOn(port);
        await Wait.UntilAsync(() => h.Store.Delivered() == 1, what: "delivery once the server is up");
        Assert.Single(smtp.Messages);
    }
}
