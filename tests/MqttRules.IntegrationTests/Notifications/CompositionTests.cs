using System.Text;
using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.Hosting;
using MqttRules.IntegrationTests.Peers;
using MqttRules.Loading;
using MqttRules.Outbox;

namespace MqttRules.IntegrationTests.Notifications;

public class CompositionTests
{
    [Fact]
    public async Task Engine_RuleWithWebhookAndTweet_BothDeliveredThroughOutbox()
    {
        await using var hook = await FakeHttpPeer.StartAsync((_, ctx) => { ctx.Response.StatusCode = 200; return Task.CompletedTask; });
        await using var x = await FakeHttpPeer.StartAsync(FakeXApi.Handler());
        var env = new Dictionary<string, string>(FakeXApi.Env(x.BaseUrl)) { ["OPS_WEBHOOK_URL"] = new Uri(hook.BaseUrl, "/ops").ToString() };
        const string yaml = """
            notifiers:
              ops:
                webhook:
                  url: ${OPS_WEBHOOK_URL}
                  body: { text: "{{message}}" }
            rules:
              - id: freezer-warm
                topic: kitchen/freezer/temp
                when: value > -10
                actions:
                  - notify: { to: ops, message: "Freezer at {{value}} C" }
                  - tweet: "Freezer at {{value}} C"
            """;
        var loaded = RuleLoader.LoadText(yaml, env: n => env.GetValueOrDefault(n));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        await using var h = await Harness.StartAsync(env);
        var engine = new RuleEngine(loaded.Rules, new ExternalOnly(h.Services.Outbox), new EngineOptions { StateStore = h.State, Metrics = h.Metrics });
        engine.Start();

        engine.Process("kitchen/freezer/temp", Encoding.UTF8.GetBytes("-5"));

        await Wait.UntilAsync(() => hook.Accepted == 1 && x.Accepted == 1, what: "webhook and tweet");
        Assert.Equal("{\"text\":\"Freezer at -5 C\"}", Assert.Single(hook.Requests).Body);
        Assert.Equal("Freezer at -5 C", FakeXApi.TextOf(Assert.Single(x.Requests)));
        Assert.Contains("mqttrules_outbox_pending 0", h.Metrics.ToPrometheusText());
    }

    [Fact]
    public async Task Create_SecretsFromFiles_TweetSigned()
    {
        await using var x = await FakeHttpPeer.StartAsync(FakeXApi.Handler());
        var dir = Directory.CreateTempSubdirectory("mqttrules-secrets-");
        try
        {
            var env = new Dictionary<string, string> { ["X_API_BASE_URL"] = x.BaseUrl.ToString() };
            foreach (var (name, value) in FakeXApi.Env(x.BaseUrl).Where(e => e.Key != "X_API_BASE_URL"))
            {
                var file = Path.Combine(dir.FullName, name.ToLowerInvariant());
                await File.WriteAllTextAsync(file, value + "\n");
                env[name + "_FILE"] = file;
            }

            await using var h = await Harness.StartAsync(env);
            h.Services.Outbox.Submit(Actions.Tweet("from files"));

            await Wait.UntilAsync(() => x.Accepted == 1, what: "tweet with secrets from files");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("MQTTRULES_TWEET_BUDGET", "lots", "MQTTRULES_TWEET_BUDGET")]
    [InlineData("SMTP_URL", "http://user:hunter2@mail", "SMTP_URL")]
    [InlineData("X_API_BASE_URL", "not a url", "X_API_BASE_URL")]
    public void Build_BadSetting_ConfigExceptionNamingVariableNotSecret(string name, string value, string named)
    {
        var env = new Dictionary<string, string>(FakeXApi.Env(new Uri("http://127.0.0.1:9"))) { [name] = value };
        var path = TempDb.NewPath();
        var rules = RuleLoader.LoadText("rules: []").Rules;

        var ex = Assert.Throws<MqttRules.Configuration.ConfigException>(() => new EngineHostBuilder(rules)
            .Configure(o => o with { StatePath = path, Environment = n => env.GetValueOrDefault(n) }).Build());

        Assert.Contains(named, ex.Message);
        Assert.DoesNotContain("hunter2", ex.Message);
        Assert.False(File.Exists(path), "building the host opens no file");
    }
}
