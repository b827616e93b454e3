using MqttRules.Cli;
using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

/// <summary>A dry run or a recording never uses the live engine's client id unless told to on the command line.</summary>
public class ClientIdDefaultsTests
{
    [Fact]
    public void UniqueClientId_DiffersEveryTime_AndNamesTheHost()
    {
        var a = MqttSettings.UniqueClientId("mqttrules-dryrun");
        var b = MqttSettings.UniqueClientId("mqttrules-dryrun");

        Assert.NotEqual(a, b);
        Assert.StartsWith(MqttSettings.DefaultClientId("mqttrules-dryrun") + "-", a, StringComparison.Ordinal);
    }

    [Fact]
    public void ExplicitClientId_ComesOnlyFromTheCommandLine_NotFromTheLiveEnginesVariable()
    {
        Func<string, string?> env = n => n == "MQTTRULES_CLIENT_ID" ? "live" : null;

        Assert.Null(RunCommand.ExplicitClientId(CliOptions.Parse(["run", "--dry-run"], env)));
        Assert.Equal("mine", RunCommand.ExplicitClientId(CliOptions.Parse(["run", "--dry-run", "--client-id", "mine"], env)));
        Assert.Equal("live", CliOptions.Parse(["run"], env).Get("client-id", "x"));
    }
}
