using MqttRules.Rules;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Loading;

/// <summary>A publish's confirm: and the rule's on_unconfirmed: what is read, and where problems are reported.</summary>
public class ConfirmProblemTests
{
    private static string Rule(string confirm, string extra = "") => $$$"""
        rules:
          - id: valve
            topic: "home/{meter}/leak"
            when: leak
            actions:
              - publish:
                  topic: "valves/{{meter}}/set"
                  payload: CLOSE
                  confirm: {{{confirm}}}
        {{{extra}}}
        """;

    [Fact]
    public void Load_FullConfirm_ReadsTopicWhenWithinRetriesAndTheFilterToSubscribe()
    {
        var rules = Yaml.Rules(Rule("""{ topic: "valves/{{meter}}/state", when: "payload == 'CLOSED'", within: 10s, retries: 2 }"""));

        var publish = Assert.IsType<PublishSpec>(Assert.Single(rules.Rules[0].Actions));
        var confirm = publish.Confirm!;
        Assert.Equal("valves/{{meter}}/state", confirm.Topic.Source);
        Assert.Equal("valves/+/state", confirm.Filter);
        Assert.Equal("payload == 'CLOSED'", confirm.When!.Source);
        Assert.Equal(TimeSpan.FromSeconds(10), confirm.Within);
        Assert.Equal(2, confirm.Retries);
    }

    [Fact]
    public void Load_ConfirmWithoutRetriesOrWhen_NoRetryAndAnyMessageConfirms()
    {
        var publish = (PublishSpec)Yaml.Rules(Rule("{ topic: valves/main/state, within: 1m }")).Rules[0].Actions[0];

        Assert.Equal(0, publish.Confirm!.Retries);
        Assert.Null(publish.Confirm.When);
        Assert.Equal("valves/main/state", publish.Confirm.Filter);
    }

    [Theory]
    [InlineData("valves/{{meter}}/state", "valves/+/state")]
    [InlineData("valves/x{{meter}}y/state", "valves/+/state")]
    [InlineData("{{meter}}/state/{{meter}}", "+/state/+")]
    [InlineData("valves/{{{meter}}}/state", "valves/#")]
    [InlineData("valves/main", "valves/main")]
    public void FilterOf_TopicTemplate_EveryLevelWithAHoleIsAWildcard(string topic, string filter) =>
        Assert.Equal(filter, ConfirmSpec.FilterOf(topic));

    [Fact]
    public void Load_ConfirmWithoutWithin_ProblemAtTheConfirmMapping() =>
        Yaml.SingleProblem(Rule("{ topic: valves/main/state }"), "9:20", "missing 'within' in 'confirm'");

    [Fact]
    public void Load_ConfirmWithoutTopic_ProblemAtTheConfirmMapping() =>
        Yaml.SingleProblem(Rule("{ within: 10s }"), "9:20", "missing 'topic' in 'confirm'");

    [Fact]
    public void Load_BadWithin_ProblemAtTheDuration() =>
        Yaml.SingleProblem(Rule("{ topic: valves/main/state, within: soon }"), "9:56", "'within: soon' is not a duration");

    [Fact]
    public void Load_ZeroWithin_ProblemSaysPositive() =>
        Yaml.SingleProblem(Rule("{ topic: valves/main/state, within: 0s }"), "9:56", "'within' must be a positive duration");

    [Theory]
    [InlineData("11")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("many")]
    public void Load_RetriesOutOfRange_ProblemAtTheNumber(string retries) =>
        Yaml.SingleProblem(Rule($"{{ topic: valves/main/state, within: 10s, retries: {retries} }}"), "9:70", "'retries' must be a");

    [Fact]
    public void Load_ConfirmTopicWithWildcard_ProblemAtTheTopic() =>
        Yaml.SingleProblem(Rule("{ topic: valves/+/state, within: 10s }"), "9:29", "confirm topic:");

    [Fact]
    public void Load_ConfirmWhenUnknownFunction_ProblemInTheExpression() =>
        Yaml.SingleProblem(Rule("""{ topic: valves/main/state, when: "nosuch(payload)", within: 10s }"""), "9:55", "confirm when");

    [Fact]
    public void Load_UnknownConfirmKey_ProblemNamesTheKey() =>
        Yaml.SingleProblem(Rule("{ topic: valves/main/state, within: 10s, timeout: 5s }"), "9:61", "timeout");

    [Fact]
    public void Load_ConfirmOnATweet_ProblemSaysOnlyAPublishCanBeConfirmed()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - tweet: hi
                    confirm: { topic: a/state, within: 10s }
            """;
        Yaml.SingleProblem(yaml, "7:9", "only a publish can ask for confirmation");
    }

    [Fact]
    public void Load_OnUnconfirmedWithoutAnyConfirm_ProblemAtTheKey()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - publish: { topic: a/set, payload: "ON" }
                on_unconfirmed:
                  - log: "no"
            """;
        Yaml.SingleProblem(yaml, "7:5", "no publish of this rule has 'confirm:'");
    }

    [Fact]
    public void Load_ConfirmInsideOnUnconfirmed_Problem()
    {
        var yaml = Rule("{ topic: valves/main/state, within: 10s }", """
                on_unconfirmed:
                  - publish: { topic: valves/main/set, payload: CLOSE, confirm: { topic: valves/main/state, within: 10s } }
            """);
        Yaml.SingleProblem(yaml, "11:60", "'confirm' is allowed only on a rule's own publish actions");
    }

    [Fact]
    public void Load_ConfirmInANotifier_Problem()
    {
        const string yaml = """
            notifiers:
              valve:
                publish: { topic: valves/main/set, payload: CLOSE, confirm: { topic: valves/main/state, within: 10s } }
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - notify: { to: valve, message: close }
            """;
        Assert.Contains(Yaml.Problems(yaml), p => p.StartsWith("rules.yaml:3:56: ", StringComparison.Ordinal) && p.Contains("allowed only on a rule's own publish", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_AttemptsOutsideOnUnconfirmedOfAScheduledRule_RefersToNothing()
    {
        const string yaml = """
            rules:
              - id: a
                schedule: "0 22 * * *"
                actions:
                  - log: "{{attempts}}"
            """;
        Yaml.SingleProblem(yaml, "5:17", "'attempts' refers to nothing");
    }

    [Fact]
    public void Load_OnUnconfirmedUsesAttemptsConfirmTopicAndCaptures_Loads()
    {
        var yaml = Rule("""{ topic: "valves/{{meter}}/state", within: 10s }""", """
                on_unconfirmed:
                  - log: "valve {{meter}}: {{confirm_topic}} silent after {{attempts}} sends"
            """);
        var rule = Yaml.Rules(yaml).Rules[0];

        Assert.Single(rule.OnUnconfirmed);
    }

    [Fact]
    public void Load_ConfirmInOnResolve_Loads()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { log: wet } ]
                on_resolve:
                  - publish: { topic: valves/main/set, payload: OPEN, confirm: { topic: valves/main/state, within: 10s } }
                on_unconfirmed: [ { log: "stuck" } ]
            """;
        Assert.NotNull(((PublishSpec)Yaml.Rules(yaml).Rules[0].OnResolve[0]).Confirm);
    }
}
