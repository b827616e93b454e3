using Microsoft.Extensions.Logging;
using MqttRules.Hosting;
using MqttRules.Mqtt;

namespace MqttRules.Cli;

/// <summary><c>mqttrules record --out FILE.jsonl [--topic FILTER]...</c>: live traffic in the replay format until SIGINT/SIGTERM.</summary>
internal static class RecordCommand
{
    public static async Task<int> RunAsync(CliOptions options)
    {
        var output = options.GetOrNull("out") ?? throw new UsageException("record needs --out FILE.jsonl");
        var filters = options.GetAll("topic");
        foreach (var filter in filters)
        {
            if (Topics.TopicFilters.TryParse(filter, out var error) is null)
            {
                throw new UsageException($"--topic '{filter}': {error}");
            }
        }
        MqttSettings settings;
        try
        {
            settings = RunCommand.BrokerSettings(options, RunCommand.ExplicitClientId(options) ?? MqttSettings.DefaultClientId("mqttrules-record")) with { PersistentSession = false };
        }
        catch (MqttConfigException ex)
        {
            Console.Error.WriteLine($"mqttrules: {ex.Message}");
            return 1;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(output));
        if (directory is not null && !Directory.Exists(directory))
        {
            Console.Error.WriteLine($"mqttrules: --out {output}: no such folder");
            return 1;
        }

        using var loggers = Logging.Create(options);
        using var shutdown = new Shutdown();
        var recorder = new Recorder
        {
            Settings = settings,
            Filters = filters.Count == 0 ? ["#"] : filters.ToArray(),
            OutputPath = output,
            Logger = loggers.CreateLogger("MqttRules.Record"),
        };
        return await RunCommand.RunHostAsync(() => recorder.RunAsync(shutdown.Token));
    }
}
