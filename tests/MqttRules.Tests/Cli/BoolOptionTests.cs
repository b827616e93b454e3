using MqttRules.Cli;

namespace MqttRules.Tests.Cli;

/// <summary>Boolean flags and their variables share the one set of spellings; a bad value names where it came from.</summary>
public class BoolOptionTests
{
    [Theory]
    [InlineData("yes", true)]
    [InlineData("ON", true)]
    [InlineData("0", false)]
    [InlineData("off", false)]
    public void GetBool_FromEnvironment_AcceptedSpellings(string text, bool expected) =>
        Assert.Equal(expected, CliOptions.Parse(["run"], n => n == "MQTTRULES_DRY_RUN" ? text : null).GetBool("dry-run"));

    [Fact]
    public void GetBool_BadEnvironmentValue_NamesTheVariable()
    {
        var ex = Assert.Throws<UsageException>(() => CliOptions.Parse(["run"], n => n == "MQTTRULES_DRY_RUN" ? "maybe" : null).GetBool("dry-run"));

        Assert.Equal("MQTTRULES_DRY_RUN: must be true/false, 1/0, yes/no or on/off, not 'maybe'", ex.Message);
    }

    [Fact]
    public void GetBool_BadFlagValue_NamesTheFlag()
    {
        var ex = Assert.Throws<UsageException>(() => CliOptions.Parse(["run", "--dry-run=perhaps"], _ => null).GetBool("dry-run"));

        Assert.StartsWith("--dry-run: must be", ex.Message, StringComparison.Ordinal);
    }
}
