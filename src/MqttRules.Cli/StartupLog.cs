using Microsoft.Extensions.Logging;
using MqttRules.Diagnostics;
using MqttRules.Hosting;
using MqttRules.Loading;
using MqttRules.Mqtt;

namespace MqttRules.Cli;

/// <summary>The first line of <c>run</c>: the version and the configuration it runs with, for whoever reads the log later.</summary>
internal static partial class StartupLog
{
    /// <summary>The informational version of this build (<c>1.2.0+commit</c>), as <c>--version</c> prints it.</summary>
    public static string Version => BuildInfo.Version;

    /// <summary>Logs the summary; the broker URL goes through <see cref="BrokerAddress.ToString"/>, which hides the password.</summary>
    public static void Summary(ILogger log, string rulesPath, LoadResult loaded, MqttSettings settings, string? statePath, HostPort? http, bool dryRun) =>
        Starting(log, Version, rulesPath, loaded.Rules.Rules.Count, loaded.FileCount, settings.Broker.ToString(), settings.ClientId,
            settings.UseV311 ? "MQTT 3.1.1" : "MQTT 5", statePath ?? "none", http?.ToString() ?? "off", dryRun);

    [LoggerMessage(EventId = 800, Level = LogLevel.Information,
        Message = "mqttrules {Version} starting: rules {RulesPath} ({Rules} rules in {Files} files), broker {Broker}, client id {ClientId}, protocol {Protocol}, state {StatePath}, HTTP {Http}, dry run {DryRun}")]
    private static partial void Starting(ILogger log, string version, string rulesPath, int rules, int files, string broker, string clientId,
        string protocol, string statePath, string http, bool dryRun);
}
