using MqttRules.Tests.Support;

namespace MqttRules.Tests.Loading;

/// <summary>YAML syntax errors and file shape, at the position YamlDotNet reports.</summary>
public class YamlSyntaxProblemTests
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
    public void Load_EmptyFile_Problem()
    {
        var problem = Assert.Single(Yaml.Problems(""));
        Assert.StartsWith("rules.yaml:1:1: the file is empty", problem);
    }
}
