using MqttRules.Cli;

namespace MqttRules.Tests.Cli;

public class StatePathTests
{
    [Fact]
    public void StatePath_NothingSet_DefaultFile()
    {
        Assert.Equal("mqttrules-state.db", RunCommand.StatePath(CliOptions.Parse(["run"], _ => null), demo: false));
    }

    [Fact]
    public void StatePath_FlagWinsOverEnvironment()
    {
        var options = CliOptions.Parse(["run", "--state", "/data/a.db"], n => n == "MQTTRULES_STATE" ? "/data/b.db" : null);
        Assert.Equal("/data/a.db", RunCommand.StatePath(options, demo: true));
    }

    [Fact]
    public void StatePath_Demo_FreshTemporaryFileEachRun()
    {
        var options = CliOptions.Parse(["run", "--demo"], _ => null);
        var first = RunCommand.StatePath(options, demo: true);
        var second = RunCommand.StatePath(options, demo: true);

        Assert.StartsWith(Path.GetTempPath(), first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void StatePath_DemoWithEnvironment_UsesIt()
    {
        var options = CliOptions.Parse(["run", "--demo"], n => n == "MQTTRULES_STATE" ? "/data/b.db" : null);
        Assert.Equal("/data/b.db", RunCommand.StatePath(options, demo: true));
    }
}
