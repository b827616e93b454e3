using MqttRules.Tests.Support;

namespace MqttRules.Tests.Loading;

/// <summary>Every kind of validate problem, at its exact FILE:LINE:COL (SPEC §3, §5).</summary>
public class RuleLoaderProblemTests
{
    [Fact]
    public void Load_UnclosedQuote_YamlSyntaxErrorAtTheQuote()
    {
        const string yaml = """
            rules:
              - id: a
                topic: "unclosed
                when: value > 1
            """;
        var problem = Assert.Single(Yaml.Problems(yaml));
        Assert.StartsWith("rules.yaml:3:12: YAML syntax error:", problem);
    }

    [Fact]
    public void Load_BadIndentation_YamlSyntaxErrorAtTheLine()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
               when: value > 1
            """;
        var problem = Assert.Single(Yaml.Problems(yaml));
        Assert.StartsWith("rules.yaml:4:4: YAML syntax error:", problem);
    }

    [Fact]
    public void Load_UnknownRuleKey_ProblemAtTheKeyWithSuggestion()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                cooldwn: 5m
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "5:5", "unknown key 'cooldwn' in rule; did you mean 'cooldown'?");
    }

    [Fact]
    public void Load_UnknownTopLevelKey_ProblemAtTheKey()
    {
        const string yaml = """
            rulez: []
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "1:1", "unknown key 'rulez' in rule file");
    }

    [Fact]
    public void Load_UnknownAnomalyKey_ProblemInsideTheFlowMapping()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                anomaly: { method: zscore, treshold: 3 }
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "4:32", "unknown key 'treshold' in 'anomaly'; did you mean 'threshold'?");
    }

    [Fact]
    public void Load_UnknownPublishKey_ProblemAtTheKey()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - publish: { topic: x/y, payload: ON, retian: true }
            """;
        Yaml.SingleProblem(yaml, "6:45", "unknown key 'retian' in 'publish' action; did you mean 'retain'?");
    }

    [Fact]
    public void Load_UnknownLogKeyInBlockMapping_ProblemAtTheKey()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - log:
                      message: hi
                      lvl: info
            """;
        Yaml.SingleProblem(yaml, "8:11", "unknown key 'lvl' in 'log' action");
    }

    [Fact]
    public void Load_UnknownNotifierKey_ProblemAtTheKey()
    {
        const string yaml = """
            notifiers:
              ops:
                webhook: { url: "http://a/b", urll: x }
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { notify: { to: ops, message: hi } } ]
            """;
        Yaml.SingleProblem(yaml, "3:35", "unknown key 'urll' in 'webhook' action; did you mean 'url'?");
    }

    [Fact]
    public void Load_UnknownActionKind_ProblemAtTheKind()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - sms: hi
            """;
        Yaml.SingleProblem(yaml, "6:9", "unknown action 'sms'");
    }

    [Fact]
    public void Load_DuplicateKey_ProblemAtTheSecondKey()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                when: value > 2
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "5:5", "duplicate key 'when' in rule");
    }

    [Fact]
    public void Load_DuplicateKeyInAction_ProblemAtTheSecondKey()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - publish: { topic: x/y, topic: x/z }
            """;
        Yaml.SingleProblem(yaml, "6:32", "duplicate key 'topic' in 'publish' action");
    }

    [Fact]
    public void Load_DuplicateIdInOneFile_ProblemAtTheSecondIdNamingTheFirst()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { log: hi } ]
              - id: a
                topic: a/c
                when: value > 1
                actions: [ { log: hi } ]
            """;
        var problem = Assert.Single(Yaml.Problems(yaml));
        Assert.StartsWith("rules.yaml:6:9: duplicate rule id 'a' (first defined at ", problem);
        Assert.EndsWith(":2:5); rule ids are unique across all files", problem);
    }

    [Fact]
    public void Load_DuplicateIdAcrossFiles_ProblemInTheSecondFile()
    {
        using var dir = new TempDir();
        const string rule = """
            rules:
              - id: same
                topic: a/b
                when: value > 1
                actions: [ { log: hi } ]
            """;
        var first = dir.Write("a.yaml", rule);
        var second = dir.Write("sub/b.yml", rule);
        var result = MqttRules.Loading.RuleLoader.Load(dir.Path, _ => null);
        var problem = Assert.Single(result.Problems);
        Assert.Equal($"{second}:2:9: duplicate rule id 'same' (first defined at {first}:2:5); rule ids are unique across all files", problem.ToString());
        Assert.Equal("1 problems in 1 files", result.Summary);
    }

    [Theory]
    [InlineData("5 minutes")]
    [InlineData("-1s")]
    [InlineData("5x")]
    [InlineData("m5")]
    [InlineData("1h 30m")]
    public void Load_BadDuration_ProblemAtTheValue(string duration)
    {
        var yaml = $"""
            rules:
              - id: a
                topic: a/b
                when: value > 1
                for: {duration}
                actions: [ {"{"} log: hi {"}"} ]
            """;
        Yaml.SingleProblem(yaml, "5:10", $"'for: {duration}' is not a duration");
    }

    [Theory]
    [InlineData("a/+x/c", "'+' and '#' must stand alone")]
    [InlineData("a/#/c", "'#' must be the last level")]
    [InlineData("a/b#", "must stand alone")]
    [InlineData("a/{1x}/c", "is not a valid capture")]
    [InlineData("a/{m}/{m}", "appears twice")]
    [InlineData("a/x{m}/c", "a capture fills a whole level")]
    [InlineData("$share/g", "'$share/<group>/<filter>'")]
    public void Load_InvalidTopicFilter_ProblemAtTheValue(string filter, string fragment)
    {
        var yaml = $"""
            rules:
              - id: a
                topic: "{filter}"
                when: true
                actions: [ {"{"} log: hi {"}"} ]
            """;
        Yaml.SingleProblem(yaml, "3:12", fragment);
    }

    [Fact]
    public void Load_ExpressionSyntaxError_PositionedAtTheOffendingToken()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value >
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "4:17", "when: invalid expression 'value >'");
    }

    [Fact]
    public void Load_ExpressionSyntaxErrorInQuotedScalar_CountsTheQuote()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: "value > 1 )"
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "4:22", "when: invalid expression 'value > 1 )'");
    }

    [Fact]
    public void Load_ExpressionSyntaxErrorInTemplateHole_PositionedInsideTheHole()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { log: "{{ value + }}" } ]
            """;
        Yaml.SingleProblem(yaml, "5:33", "log: invalid expression ' value + '");
    }

    [Fact]
    public void Load_ExpressionErrorInFoldedBlock_PositionedOnTheSourceLineOfTheError()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: >-
                  value > 1 and
                  value < 2 and
                  value )
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "7:13", "when: invalid expression");
    }

    [Fact]
    public void Load_ExpressionErrorInLiteralBlock_PositionedOnTheSourceLineOfTheError()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: |
                  value > 1

                  and value )
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "7:17", "when: invalid expression");
    }

    [Fact]
    public void Load_TemplateErrorInFoldedBlock_PositionedInsideTheHole()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - log: >
                      first line
                      value is {{ value + }}
            """;
        Yaml.SingleProblem(yaml, "8:29", "log: invalid expression");
    }

    [Fact]
    public void Load_UnclosedTemplateHole_ProblemAtTheBraces()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { log: "at {{ value" } ]
            """;
        Yaml.SingleProblem(yaml, "5:27", "'{{' is not closed by '}}'");
    }

    [Fact]
    public void Load_UnknownFunction_ProblemAtTheCall()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: rnd(value) > 1
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "4:11", "unknown function 'rnd'");
    }

    [Fact]
    public void Load_ValueInScheduledRuleTemplate_RefersToNothing()
    {
        const string yaml = """
            rules:
              - id: a
                schedule: "0 30 18 * * ?"
                actions: [ { log: "now {{ value }}" } ]
            """;
        Yaml.SingleProblem(yaml, "4:31", "log: 'value' refers to nothing: a scheduled rule has no message");
    }

    [Fact]
    public void Load_FieldInScheduledRuleCondition_RefersToNothing()
    {
        const string yaml = """
            rules:
              - id: a
                schedule: "30 18 * * *"
                when: lux < 50
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "4:11", "'lux' refers to nothing");
    }

    [Fact]
    public void Load_ZInRuleWithoutAnomaly_RefersToNothing()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { log: "z={{z}}" } ]
            """;
        Yaml.SingleProblem(yaml, "5:28", "'z' refers to nothing: it is set only in rules with 'anomaly:'");
    }

    [Fact]
    public void Load_NoTrigger_ProblemAtTheRule()
    {
        const string yaml = """
            rules:
              - id: a
                when: true
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "2:5", "a rule needs a trigger");
    }

    [Fact]
    public void Load_TwoTriggers_ProblemAtTheSecondTrigger()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                schedule: "* * * * *"
                when: true
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "4:5", "exactly one trigger");
    }

    [Fact]
    public void Load_ActionWithTwoKinds_ProblemAtTheSecondKind()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - tweet: hi
                    webhook: { url: "http://x/y" }
            """;
        Yaml.SingleProblem(yaml, "7:9", "one action per list item: 'tweet' and 'webhook'");
    }

    [Fact]
    public void Load_ActionWithNoKind_ProblemAtTheItem()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - {}
            """;
        Yaml.SingleProblem(yaml, "6:9", "empty action");
    }

    [Fact]
    public void Load_NotifyToUnknownNotifier_ProblemAtTheName()
    {
        const string yaml = """
            notifiers:
              ops:
                log: "{{message}}"
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - notify: { to: nobody, message: hi }
            """;
        Yaml.SingleProblem(yaml, "9:23", "unknown notifier 'nobody' (defined: ops)");
    }

    [Fact]
    public void Load_NotifierDefinedInAnotherFile_IsFound()
    {
        using var dir = new TempDir();
        dir.Write("a-notifiers.yaml", """
            notifiers:
              ops:
                log: { message: "{{message}}", level: warning }
            rules: []
            """);
        dir.Write("b-rules.yaml", """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { notify: { to: ops, message: hi } } ]
            """);
        var result = MqttRules.Loading.RuleLoader.Load(dir.Path, _ => null);
        Assert.Empty(result.Problems);
        Assert.Equal("1 rules in 2 files: OK", result.Summary);
    }

    [Fact]
    public void Load_UnsetVariableWithoutDefault_ProblemAtTheDollar()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { log: "hook ${UNSET_HOOK}" } ]
            """;
        Yaml.SingleProblem(yaml, "5:29", "environment variable UNSET_HOOK is not set; set it, or write ${UNSET_HOOK:-default}");
    }

    [Fact]
    public void Load_UnsetVariableInPlainScalar_ProblemAtTheDollar()
    {
        const string yaml = """
            rules:
              - id: a
                topic: home/${UNSET_ROOM}/t
                when: value > 1
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "3:17", "environment variable UNSET_ROOM is not set");
    }

    [Fact]
    public void Load_UnsetVariableWithDefault_UsesTheDefault()
    {
        const string yaml = """
            rules:
              - id: a
                topic: home/${ROOM:-kitchen}/t
                when: value > 1
                actions: [ { log: hi } ]
            """;
        Assert.Equal("home/kitchen/t", Yaml.Rules(yaml).Rules[0].Topic!.Source);
    }

    [Fact]
    public void Load_EmptyVariableWithDefault_UsesTheDefault()
    {
        const string yaml = """
            rules:
              - id: a
                topic: home/${ROOM:-kitchen}/t
                when: value > 1
                actions: [ { log: hi } ]
            """;
        var rules = Yaml.Rules(yaml, new Dictionary<string, string> { ["ROOM"] = "" });
        Assert.Equal("home/kitchen/t", rules.Rules[0].Topic!.Source);
    }

    [Fact]
    public void Load_SetVariable_SubstitutedAfterYamlParsing()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { log: "${GREETING}" } ]
            """;
        var rules = Yaml.Rules(yaml, new Dictionary<string, string> { ["GREETING"] = "x: [y], {z} #not a comment" });
        var log = Assert.IsType<MqttRules.Rules.LogSpec>(rules.Rules[0].Actions[0]);
        Assert.Equal("x: [y], {z} #not a comment", log.Message.Source);
    }

    [Theory]
    [InlineData("for: 1m", "for")]
    [InlineData("clear: value < 1", "clear")]
    [InlineData("repeat: 1m", "repeat")]
    [InlineData("on_resolve: [ { log: x } ]", "on_resolve")]
    [InlineData("anomaly: { method: zscore }", "anomaly")]
    [InlineData("absent: 1m", "absent")]
    public void Load_EachMessageWithStateKey_ProblemAtTheKey(string line, string key)
    {
        var yaml = $"""
            rules:
              - id: a
                topic: a/b
                each_message: true
                {line}
                actions: [ {"{"} log: x {"}"} ]
            """;
        Yaml.SingleProblem(yaml, "5:5", $"'{key}' is not allowed in an 'each_message: true' rule");
    }

    [Fact]
    public void Load_EachMessageWithWhenAndCooldown_IsValid()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                each_message: true
                when: value > 1
                cooldown: 1m
                actions: [ { log: x } ]
            """;
        Assert.Empty(Yaml.Problems(yaml));
    }

    [Fact]
    public void Load_PublishToConstantWildcardTopic_ProblemAtTheTopic()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { publish: { topic: "a/+/b", payload: x } } ]
            """;
        Yaml.SingleProblem(yaml, "5:36", "publish topic: 'a/+/b' is not a valid topic name");
    }

    [Fact]
    public void Load_TopicRuleWithoutCondition_Problem()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                actions: [ { log: x } ]
            """;
        Yaml.SingleProblem(yaml, "3:5", "a topic rule needs a condition");
    }

    [Fact]
    public void Load_RuleWithoutActions_Problem()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: true
            """;
        Yaml.SingleProblem(yaml, "2:5", "a rule needs 'actions:'");
    }

    [Fact]
    public void Load_BadCron_ProblemAtTheSchedule()
    {
        const string yaml = """
            rules:
              - id: a
                schedule: "61 * * * *"
                actions: [ { log: x } ]
            """;
        Yaml.SingleProblem(yaml, "3:15", "is not a valid cron expression");
    }

    [Fact]
    public void Load_UnknownTimeZone_ProblemAtTheZone()
    {
        const string yaml = """
            rules:
              - id: a
                schedule: "0 18 * * *"
                timezone: Mars/Olympus
                actions: [ { log: x } ]
            """;
        Yaml.SingleProblem(yaml, "4:15", "unknown time zone 'Mars/Olympus'");
    }

    [Fact]
    public void Load_EmptyFile_Problem()
    {
        var problem = Assert.Single(Yaml.Problems(""));
        Assert.StartsWith("rules.yaml:1:1: the file is empty", problem);
    }

    [Fact]
    public void Load_ManyProblems_AllReportedInOnePass()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/#/b
                when: value >
                for: soon
                actions: [ { sms: x } ]
            """;
        var problems = Yaml.Problems(yaml);
        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("rules.yaml:3:12:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("rules.yaml:4:17:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("rules.yaml:5:10:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("rules.yaml:6:18:", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_UnsetVariableInExpression_OnlyTheVariableIsReported()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: "value > ${UNSET_LIMIT}"
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "4:20", "environment variable UNSET_LIMIT is not set");
    }

    [Fact]
    public void Load_UnsetVariableInWebhookUrl_OnlyTheVariableIsReported()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - webhook: { url: "${UNSET_HOOK}" }
            """;
        Yaml.SingleProblem(yaml, "6:26", "environment variable UNSET_HOOK is not set");
    }

    [Fact]
    public void Load_UnsetVariableInDuration_OnlyTheVariableIsReported()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                for: ${UNSET_FOR}
                actions: [ { log: hi } ]
            """;
        Yaml.SingleProblem(yaml, "5:10", "environment variable UNSET_FOR is not set");
    }

    [Fact]
    public void Load_DuplicateKeyInJsonBody_ProblemAtTheSecondKey()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - webhook: { url: "http://x/y", body: { text: a, text: b } }
            """;
        Yaml.SingleProblem(yaml, "6:56", "duplicate key 'text' in 'body'");
    }

    [Fact]
    public void Load_DuplicateHeaderAnyCase_ProblemAtTheSecondHeader()
    {
        const string yaml = """
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions:
                  - webhook:
                      url: "http://x/y"
                      headers:
                        X-Token: one
                        x-token: two
            """;
        Yaml.SingleProblem(yaml, "10:13", "duplicate header 'x-token'");
    }

    [Fact]
    public void Load_ProblemsAllOverAFile_PrintedInLineAndColumnOrder()
    {
        const string yaml = """
            notifiers:
              ops:
                webhook: { url: "http://a/b", urll: x }
            rules:
              - id: a
                topic: a/b
                when: value > 1
                actions: [ { notify: { to: nobody, message: hi } } ]
              - id: a
                topic: a/#/b
                when: value >
                actions: [ { log: hi } ]
            """;
        var positions = Yaml.Problems(yaml).Select(p => p.Split(':')[1] + ":" + p.Split(':')[2]).ToList();
        Assert.Equal(["3:35", "8:32", "9:9", "10:12", "11:17"], positions);
    }
}
