using MqttRules.Tests.Support;

namespace MqttRules.Tests.Loading;

/// <summary>Triggers, durations, topic filters, cron, zones and the keys a rule kind allows.</summary>
public class TriggerAndShapeProblemTests
{
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
        Yaml.SingleProblem(TopicRule(filter), "3:12", fragment);
    }

    /// <summary>MQTT carries at most 65535 bytes of topic filter: a longer one is a problem here, not a refusal at run.</summary>
    [Theory]
    [InlineData(65535, 0)]
    [InlineData(65536, 1)]
    [InlineData(199_999, 1)]
    public void Load_TopicFilterOverMqttLimit_ProblemAtTheValueWithoutQuotingItWhole(int bytes, int problems)
    {
        var found = Yaml.Problems(TopicRule("a/" + new string('x', bytes - 2)));

        Assert.Equal(problems, found.Count);
        if (problems == 1)
        {
            Assert.StartsWith("rules.yaml:3:12: ", found[0], StringComparison.Ordinal);
            Assert.Contains($"the topic filter is {bytes} bytes long; MQTT allows at most 65535", found[0], StringComparison.Ordinal);
            Assert.InRange(found[0].Length, 1, 300);
        }
    }

    /// <summary>The limit is on what is subscribed, in UTF-8: 32,768 × 'é' (2 bytes each) and a capture (subscribed as '+') is 65,538 bytes.</summary>
    [Fact]
    public void Load_CaptureTopicFilterOverMqttLimitInUtf8_Problem()
    {
        Yaml.SingleProblem(TopicRule(new string('é', 32_768) + "/{m}"), "3:12", "the topic filter is 65538 bytes long");
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

    private static string TopicRule(string filter) => $"""
        rules:
          - id: a
            topic: "{filter}"
            when: true
            actions: [ {"{"} log: hi {"}"} ]
        """;
}
