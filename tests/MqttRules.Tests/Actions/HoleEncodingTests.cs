using System.Text;
using MqttRules.Actions;
using MqttRules.Actions.Publish;
using MqttRules.Actions.Webhook;
using MqttRules.Expressions;
using MqttRules.Payloads;
using MqttRules.Rules;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Actions;

/// <summary>Rendered values are data: topic, URL and header holes cannot add levels, URL parts or headers.</summary>
public class HoleEncodingTests
{
    [Theory]
    [InlineData("valves/{{name}}/set", "a/b", "valves/a_b/set")]          // a value stays one level
    [InlineData("valves/{{name}}/set", "kitchen", "valves/kitchen/set")]
    [InlineData("valves/{{{name}}}/set", "a/b", "valves/a/b/set")]        // raw: the rule asks for levels
    [InlineData("{{{name}}}", "home/main/water", "home/main/water")]
    public void Publish_TopicHole_EscapedUnlessRaw(string topic, string name, string expected)
    {
        Assert.Equal(expected, Publish(topic, name).As<PublishAction>().Topic);
    }

    [Theory]
    [InlineData("a\nb", "control character (U+000A)")]
    [InlineData("a\u0085b", "control character (U+0085)")]
    [InlineData("a\u007fb", "control character (U+007F)")]
    [InlineData("a\uffffb", "non-character")]
    [InlineData("a\0b", "NUL")]
    public void Publish_TopicHoleWithForbiddenCharacter_ActionError(string name, string fragment)
    {
        var ex = Assert.Throws<ActionRenderException>(() => Publish("valves/{{name}}/set", name));

        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Engine_TopicHoleRendersLineBreak_NothingPublishedCountedOtherActionsRun()
    {
        const string yaml = """
            rules:
              - id: valve
                topic: site/+/leak
                when: value > 0
                actions:
                  - publish: { topic: "valves/{{name}}/set", payload: CLOSE }
                  - log: "leak at {{name}}"
            """;
        var loaded = MqttRules.Loading.RuleLoader.LoadText(yaml);
        Assert.Empty(loaded.Problems);
        var sink = new ListActionSink();
        var engine = new MqttRules.Engine.RuleEngine(loaded.Rules, sink, new MqttRules.Engine.EngineOptions());
        engine.Start();

        engine.Process("site/a/leak", Encoding.UTF8.GetBytes("""{"value": 1, "name": "a\nb"}"""));

        Assert.Equal(ActionKind.Log, Assert.Single(sink.Actions).Kind);
        Assert.Equal(1, engine.Metrics.ActionCount("publish", "error"));
    }

    [Theory]
    [InlineData("{{{name}}}/x", "a/#")]
    [InlineData("valves/{{name}}/set", "a/+")]
    public void Publish_HoleWithWildcard_ActionError(string topic, string name)
    {
        var ex = Assert.Throws<ActionRenderException>(() => Publish(topic, name));

        Assert.Contains("'+', '#'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TopicProblem_LoneSurrogate_Refused() =>
        Assert.Contains("lone surrogate", HoleEncoding.TopicProblem("a/\ud800b"), StringComparison.Ordinal);

    [Fact]
    public void TopicProblem_TooLong_Refused() =>
        Assert.Contains("65535", HoleEncoding.TopicProblem(new string('a', 65536)), StringComparison.Ordinal);

    [Theory]
    [InlineData("http://h/api/{{name}}", "x?admin=1", "http://h/api/x%3Fadmin%3D1")]     // path segment stays data
    [InlineData("http://h/api?q={{name}}&v=1", "a&admin=1 #x", "http://h/api?q=a%26admin%3D1%20%23x&v=1")]
    [InlineData("http://h/api/{{name}}", "../../etc", "http://h/api/..%2F..%2Fetc")]
    [InlineData("http://h/api/{{name}}", "Zürich", "http://h/api/Z%C3%BCrich")]
    [InlineData("http://h/api/{{{name}}}", "a/b?c=1", "http://h/api/a/b?c=1")]       // raw when asked
    [InlineData("{{name}}/hook", "https://example.org", "https://example.org/hook")]  // a hole before :// is the URL itself
    [InlineData("http://{{name}}/x", "h.example:8080", "http://h.example:8080/x")]     // host:port
    [InlineData("http://h/{{name}}", "a:b", "http://h/a%3Ab")]
    public void Webhook_UrlHole_PercentEncodedUnlessRaw(string url, string name, string expected)
    {
        Assert.Equal(expected, Webhook(url, name).As<WebhookAction>().Url);
    }

    [Theory]
    [InlineData("City {{name}}", "Zürich", "City Z%C3%BCrich")]       // non-ASCII: percent-encoded UTF-8
    [InlineData("{{name}}", "plain", "plain")]
    [InlineData("{{name}}", "a\r\nX-Admin: 1", "a\r\nX-Admin: 1")]     // left for the webhook to refuse
    [InlineData("{{{name}}}", "Zürich", "Zürich")]
    public void Webhook_HeaderHole_NonAsciiPercentEncoded(string header, string name, string expected)
    {
        Assert.Equal(expected, Webhook("http://h/x", name, header).As<WebhookAction>().Headers[0].Value);
    }

    [Theory]
    [InlineData("{{{name}}}", "http://h/a\r\nX-Admin: 1")]
    [InlineData("{{name}}", "http://h/a\nb")]
    public void Webhook_UrlWithControlCharacter_ActionError(string url, string name)
    {
        var ex = Assert.Throws<ActionRenderException>(() => Webhook(url, name));

        Assert.Contains("control character", ex.Message, StringComparison.Ordinal);
    }

    // .NET's Uri unescapes %2E and removes dot segments: http://h/api/%2E%2E/x is sent as POST /x.
    [Theory]
    [InlineData("http://h/api/{{name}}/x", "..", "'..'")]
    [InlineData("http://h/api/{{name}}/x", ".", "'.'")]
    [InlineData("http://h/api/{{name}}", "..", "'..'")]
    [InlineData("http://h/api/.{{name}}/x", ".", "'..'")]
    [InlineData("http://h/api/{{{name}}}", "%2e%2E/admin", "'..'")]
    public void Webhook_UrlHoleRendersDotSegment_ActionError(string url, string name, string segment)
    {
        var ex = Assert.Throws<ActionRenderException>(() => Webhook(url, name));

        Assert.Contains($"{segment} path segment", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://h/api/{{name}}/x", "...", "http://h/api/.../x")]
    [InlineData("http://h/api/{{name}}/x", "..a", "http://h/api/..a/x")]
    [InlineData("http://h/api?q={{name}}", "..", "http://h/api?q=..")]
    [InlineData("http://h/api#{{name}}", "..", "http://h/api#..")]
    public void Webhook_DotsThatAreNoSegment_Sent(string url, string name, string expected) =>
        Assert.Equal(expected, Webhook(url, name).As<WebhookAction>().Url);

    [Fact]
    public void Template_TripleBraceNotClosed_ErrorNamesTripleBrace()
    {
        var ex = Assert.Throws<ExpressionException>(() => Template.Compile("a/{{{name}}/b", Expr.Scope(null)));

        Assert.Contains("'{{{' is not closed by '}}}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_RawHoleOutsideEncodedPlace_RendersValue() =>
        Assert.Equal("v=7", Expr.Render("v={{{value}}}", "7"));

    private static RenderedAction Publish(string topic, string name)
    {
        var spec = new PublishSpec(default, Compile(topic), new TextContent(Template.Constant("ON")), 0, false);
        return Render(spec, name);
    }

    private static RenderedAction Webhook(string url, string name, string header = "x")
    {
        var spec = new WebhookSpec(default, Compile(url), "POST", [new("X-City", Compile(header))], null);
        return Render(spec, name);
    }

    private static Template Compile(string template) => Template.Compile(template, Expr.Scope(null));

    private static RenderedAction Render(ActionSpec spec, string name)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["name"] = name });
        using var payload = Payload.TryParse(Encoding.UTF8.GetBytes(json), out _);
        var ctx = Expr.Context(payload, "home/main/water", null, null, null);
        return ActionRenderer.Render(spec, ctx, "r1", RuleEvent.Fire, null);
    }
}
