namespace MqttRules.Cli;

/// <summary><c>mqttrules run</c>: the live engine (see issue: live engine).</summary>
public static class RunCommand
{
    public static Task<int> RunAsync(CliOptions options)
    {
        _ = options;
        Console.Error.WriteLine("mqttrules: 'run' and 'record' are not built yet");
        return Task.FromResult(1);
    }
}
