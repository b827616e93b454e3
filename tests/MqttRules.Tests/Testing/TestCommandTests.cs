using System.Xml.Linq;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Testing;

/// <summary><c>mqttrules test</c> as a rule author uses it: passing, failing with a readable diff, broken test files, JUnit, samples.</summary>
public sealed class TestCommandTests
{
    private const string Rules = """
        rules:
          - id: hot
            topic: home/{room}/temp
            value: t
            when: value > 25
            clear: value < 22
            for: 1m
            actions:
              - publish: { topic: "fans/{{room}}/set", payload: "ON", qos: 1 }
            on_resolve:
              - log: "{{room}} cool again at {{value}}"
        """;

    private static CliRunner.Outcome Test(TempDir dir, string tests, params string[] extra)
    {
        dir.Write("rules.yaml", Rules);
        var file = dir.Write("rules.test.yaml", tests);
        return CliRunner.Run(["test", file, .. extra]);
    }

    [Fact]
    public void PassingCases_OneLineEach_SummaryAndExitZero()
    {
        using var dir = new TempDir();
        var outcome = Test(dir, """
            rules: rules.yaml
            tests:
              - name: hot for a minute switches the fan on
                given:
                  - { t: 0, topic: home/attic/temp, payload: { t: 27 } }
                  - { t: 2m, topic: home/attic/temp, payload: { t: 21.5 } }
                expect:
                  - { t: 1m, rule: hot, event: fire, series: home/attic/temp, topic: fans/attic/set, payload: "ON" }
                  - { t: 120, event: resolve, action: log, message: attic cool again at 21.5 }
              - name: nothing for half a minute
                given:
                  - { t: 0, topic: home/attic/temp, payload: { t: 27 } }
                  - { t: 30s, topic: home/attic/temp, payload: { t: 20 } }
                expect: []
            """);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(3, outcome.Lines.Count);
        Assert.StartsWith("PASS ", outcome.Lines[0]);
        Assert.EndsWith("hot for a minute switches the fan on", outcome.Lines[0]);
        Assert.Contains("rules.test.yaml:3:5", outcome.Lines[0]);
        Assert.Equal("2 tests: 2 passed, 0 failed", outcome.Lines[2]);
    }

    [Fact]
    public void WrongField_FailsNamingTheFieldWithBothLines()
    {
        using var dir = new TempDir();
        var outcome = Test(dir, """
            rules: rules.yaml
            tests:
              - name: wrong topic
                given:
                  - { t: 0, topic: home/attic/temp, payload: { t: 27 } }
                  - { t: 1m, topic: home/attic/temp, payload: { t: 27 } }
                expect:
                  - { topic: fans/atic/set }
            """);

        Assert.Equal(1, outcome.ExitCode);
        Assert.StartsWith("FAIL ", outcome.Lines[0]);
        Assert.Contains("#1 topic: expected \"fans/atic/set\", got \"fans/attic/set\"", outcome.Stdout);
        Assert.Contains("expected: {\"topic\":\"fans/atic/set\"}", outcome.Stdout);
        Assert.Contains("actual:   {\"t\":\"2026-01-01T00:01:00.000Z\",\"rule\":\"hot\"", outcome.Stdout);
        Assert.Equal("1 tests: 0 passed, 1 failed", outcome.Lines[^1]);
    }

    [Fact]
    public void ExpectNothing_ButSomethingFired_ListsTheUnexpectedLine()
    {
        using var dir = new TempDir();
        var outcome = Test(dir, """
            rules: rules.yaml
            tests:
              - name: quiet
                given:
                  - { t: 0, topic: home/attic/temp, payload: { t: 30 } }
                  - { t: 5m, topic: home/attic/temp, payload: { t: 30 } }
                expect: []
            """);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("expected 0 action lines, replay printed 1", outcome.Stdout);
        Assert.Contains("#1 unexpected: {\"t\":\"2026-01-01T00:01:00.000Z\",\"rule\":\"hot\",\"event\":\"fire\"", outcome.Stdout);
    }

    [Fact]
    public void MissingAction_ListedAsMissing()
    {
        using var dir = new TempDir();
        var outcome = Test(dir, """
            rules: rules.yaml
            tests:
              - name: too short
                given:
                  - { t: 0, topic: home/attic/temp, payload: { t: 30 } }
                  - { t: 59s, topic: home/attic/temp, payload: { t: 30 } }
                expect:
                  - { event: fire }
            """);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("#1 missing:    {\"event\":\"fire\"}", outcome.Stdout);
    }

    [Fact]
    public void BrokenTestFile_ProblemsAsFileLineCol_CaseNotRun_ExitOne()
    {
        using var dir = new TempDir();
        var outcome = Test(dir, """
            rules: rules.yaml
            tests:
              - name: typo
                givn: []
                expect: []
            """);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("rules.test.yaml:4:5: unknown key 'givn' in a test case; did you mean 'given'?", outcome.Stderr);
        Assert.Contains("rules.test.yaml:3:5: missing 'given'", outcome.Stderr);
        Assert.Equal("0 tests: 0 passed, 0 failed, 2 problems in test files", outcome.Lines[^1]);
    }

    [Fact]
    public void BadGivenLine_NamedByItsYamlPosition()
    {
        using var dir = new TempDir();
        var outcome = Test(dir, """
            rules: rules.yaml
            tests:
              - name: no topic
                given:
                  - { t: 0, payload: 1 }
                expect: []
            """);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("rules.test.yaml:5:9: ", outcome.Stdout);
    }

    [Fact]
    public void RulesThatDoNotLoad_FailTheCaseWithTheRuleProblem()
    {
        using var dir = new TempDir();
        var outcome = Test(dir, """
            rules: missing.yaml
            tests:
              - name: x
                given: [ { t: 0, topic: a, payload: 1 } ]
                expect: []
            """);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("the rules do not load: ", outcome.Stdout);
        Assert.Contains("missing.yaml", outcome.Stdout);
    }

    [Fact]
    public void JUnit_WrittenWithOneTestcasePerCaseAndTheFailure()
    {
        using var dir = new TempDir();
        var junit = Path.Combine(dir.Path, "junit.xml");
        var outcome = Test(dir, """
            rules: rules.yaml
            tests:
              - name: passes
                given: [ { t: 0, topic: home/a/temp, payload: { t: 1 } } ]
                expect: []
              - name: fails
                given: [ { t: 0, topic: home/a/temp, payload: { t: 30 } }, { t: 2m, topic: home/a/temp, payload: { t: 30 } } ]
                expect: []
            """, "--junit", junit);

        Assert.Equal(1, outcome.ExitCode);
        var doc = XDocument.Load(junit);
        var cases = doc.Descendants("testcase").ToList();
        Assert.Equal(["passes", "fails"], cases.Select(c => (string)c.Attribute("name")!));
        Assert.Null(cases[0].Element("failure"));
        Assert.Equal("expected 0 action lines, replay printed 1", (string)cases[1].Element("failure")!.Attribute("message")!);
        Assert.Contains("#1 unexpected: ", cases[1].Element("failure")!.Value);
        Assert.Equal("1", (string)doc.Root!.Element("testsuite")!.Attribute("failures")!);
    }

    [Fact]
    public void SampleFolder_ComparedLineByLine_WholeLines()
    {
        using var dir = new TempDir();
        dir.Write("s/rules.yaml", Rules);
        dir.Write("s/input.jsonl", "{\"t\": 0, \"topic\": \"home/a/temp\", \"payload\": {\"t\": 30}}\n{\"t\": 60, \"topic\": \"home/a/temp\", \"payload\": {\"t\": 30}}\n");
        dir.Write("s/expected.jsonl", "{\"t\":\"2026-01-01T00:01:00.000Z\",\"rule\":\"hot\",\"event\":\"fire\",\"series\":\"home/a/temp\",\"action\":\"publish\",\"topic\":\"fans/a/set\",\"payload\":\"ON\",\"qos\":1,\"retain\":false}\n");
        Assert.Equal(0, CliRunner.Run(["test", dir.Path]).ExitCode);

        // In a sample every field counts: a line that leaves one out fails.
        dir.Write("s/expected.jsonl", "{\"t\":\"2026-01-01T00:01:00.000Z\",\"rule\":\"hot\",\"event\":\"fire\",\"series\":\"home/a/temp\",\"action\":\"publish\",\"topic\":\"fans/a/set\",\"payload\":\"ON\",\"qos\":1}\n");
        var outcome = CliRunner.Run(["test", dir.Path]);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("#1 retain: not expected, got false", outcome.Stdout);
    }

    [Fact]
    public void BundledRulesAndSamples_AllPass_AndEveryRuleFileHasTests()
    {
        var rules = Path.Combine(RepoRoot.Path, "rules");
        var outcome = CliRunner.Run(["test", rules, Path.Combine(RepoRoot.Path, "samples")]);

        Assert.True(outcome.ExitCode == 0, outcome.Stdout + outcome.Stderr);
        foreach (var file in Directory.GetFiles(rules, "*.yaml").Where(f => !MqttRules.Loading.RuleLoader.IsTestFile(f)))
        {
            Assert.True(File.Exists(Path.ChangeExtension(file, ".test.yaml")), $"{file} has no tests beside it");
        }
    }
}
