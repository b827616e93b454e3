using MqttRules.Actions;
using MqttRules.Actions.Log;
using MqttRules.Actions.Webhook;
using MqttRules.Rules;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Engine;

/// <summary><c>notify</c> runs the named notifier's action with <c>message</c> set (SPEC §3).</summary>
public class NotifyTests
{
    private const string Rules = """
        notifiers:
          ops:
            webhook:
              url: ${OPS_URL:-http://127.0.0.1:8080/hook}
              body: { text: "{{message}}", topic: "{{topic}}" }
          quiet:
            log: { message: "[ops] {{message}}", level: warning }
        rules:
          - id: freezer
            topic: kitchen/freezer/temp
            when: value > -10
            actions:
              - notify: { to: ops, message: "Freezer at {{value}} C" }
              - notify: { to: quiet, message: "freezer {{value}}" }
        """;

    [Fact]
    public void Notify_Webhook_RenderedAsTheNotifiersActionWithMessage()
    {
        var h = new EngineHarness(Rules);
        h.Send("kitchen/freezer/temp", "-5");
        var hook = h.Actions[0];
        Assert.Equal(ActionKind.Webhook, hook.Kind);
        Assert.Equal("ops", hook.Notifier);
        Assert.Equal("http://127.0.0.1:8080/hook", hook.As<WebhookAction>().Url);
        Assert.Equal("POST", hook.As<WebhookAction>().Method);
        Assert.Equal("{\"text\":\"Freezer at -5 C\",\"topic\":\"kitchen/freezer/temp\"}", hook.As<WebhookAction>().Body);
        Assert.True(hook.As<WebhookAction>().BodyIsJson);
        Assert.Equal("Freezer at -5 C", hook.NotifyMessage);
    }

    [Fact]
    public void Notify_Log_MessageIsTheNotifiersLogText()
    {
        var h = new EngineHarness(Rules);
        h.Send("kitchen/freezer/temp", "-5");
        var log = h.Actions[1];
        Assert.Equal(ActionKind.Log, log.Kind);
        Assert.Equal("quiet", log.Notifier);
        Assert.Equal("[ops] freezer -5", log.LogMessage());
        Assert.Equal("warning", log.As<LogAction>().Level);
    }

    [Fact]
    public void Notify_EnvironmentUrl_Substituted()
    {
        var rules = Yaml.Rules(Rules, new Dictionary<string, string> { ["OPS_URL"] = "https://ops.example/hook" });
        var notify = Assert.IsType<NotifySpec>(rules.Rules[0].Actions[0]);
        Assert.Equal("https://ops.example/hook", Assert.IsType<WebhookSpec>(notify.Target).Url.Source);
    }
}
