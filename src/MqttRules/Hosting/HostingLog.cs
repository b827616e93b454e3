using Microsoft.Extensions.Logging;

namespace MqttRules.Hosting;

/// <summary>Log lines of the live host: its stages, the publish journal and a state store that cannot take writes.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 730, Level = LogLevel.Warning, Message = "The state file cannot take writes ({Problem}): input is no longer acknowledged and intake is paused; retrying until it can (free disk space or make the file writable)")]
    public static partial void StoreFailing(ILogger logger, string? problem);

    [LoggerMessage(EventId = 731, Level = LogLevel.Information, Message = "The state file takes writes again after {Seconds:0.#} s: everything held is saved, intake resumes")]
    public static partial void StoreRecovered(ILogger logger, double seconds);

    [LoggerMessage(EventId = 732, Level = LogLevel.Error, Message = "Rule {RuleId}, series {Series}: publish to {Topic} dead-lettered: {Reason}")]
    public static partial void PublishDeadLettered(ILogger logger, string ruleId, string? series, string? topic, string reason);

    [LoggerMessage(EventId = 733, Level = LogLevel.Information, Message = "Resending {Count} publishes not acknowledged by the broker before the last stop")]
    public static partial void Resuming(ILogger logger, int count);

    [LoggerMessage(EventId = 734, Level = LogLevel.Warning, Message = "{Count} publishes were not acknowledged by the broker before shutdown; they are kept and sent at the next start")]
    public static partial void KeptForNextStart(ILogger logger, int count);

    [LoggerMessage(EventId = 735, Level = LogLevel.Warning, Message = "{Count} publish actions were not sent before shutdown")]
    public static partial void NotSent(ILogger logger, int count);

    [LoggerMessage(EventId = 736, Level = LogLevel.Information, Message = "{Rules} rules loaded{DryRun}; connecting to {Broker}")]
    public static partial void RulesLoaded(ILogger logger, int rules, string dryRun, string broker);

    [LoggerMessage(EventId = 737, Level = LogLevel.Information, Message = "HTTP: /healthz and /metrics on {Listen}")]
    public static partial void HttpListening(ILogger logger, string listen);

    [LoggerMessage(EventId = 738, Level = LogLevel.Information, Message = "Stopping")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 739, Level = LogLevel.Information, Message = "Stopped: {Messages} messages evaluated")]
    public static partial void Stopped(ILogger logger, long messages);

    [LoggerMessage(EventId = 752, Level = LogLevel.Debug, Message = "Started stage {Stage}")]
    public static partial void StageStarted(ILogger logger, string stage);

    [LoggerMessage(EventId = 753, Level = LogLevel.Debug, Message = "Stopped stage {Stage}")]
    public static partial void StageStopped(ILogger logger, string stage);
    [LoggerMessage(EventId = 754, Level = LogLevel.Warning, Message = "Could not save rule state; it will be retried with the next batch")]
    public static partial void StateSaveFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 780, Level = LogLevel.Information, Message = "Reloading the rules from {Path} ({Trigger})")]
    public static partial void Reloading(ILogger logger, string trigger, string path);

    [LoggerMessage(EventId = 781, Level = LogLevel.Error, Message = "{Problem}")]
    public static partial void ReloadProblem(ILogger logger, string problem);

    [LoggerMessage(EventId = 782, Level = LogLevel.Error, Message = "Reload failed: {Summary}; the previous rules keep running")]
    public static partial void ReloadFailed(ILogger logger, string summary);

    [LoggerMessage(EventId = 783, Level = LogLevel.Information, Message = "Reloaded: {Summary}")]
    public static partial void Reloaded(ILogger logger, string summary);

    [LoggerMessage(EventId = 784, Level = LogLevel.Warning, Message = "Cannot reload the rules: {Reason}")]
    public static partial void ReloadUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 785, Level = LogLevel.Warning, Message = "--http {Listen} is reachable beyond this machine and MQTTRULES_HTTP_TOKEN is not set: /healthz and /metrics are open to the network, and the endpoints that change something (POST /-/reload) are off")]
    public static partial void HttpOpenWithoutToken(ILogger logger, string listen);

    [LoggerMessage(EventId = 786, Level = LogLevel.Information, Message = "Watching {Path} for changes to the rules")]
    public static partial void Watching(ILogger logger, string path);

    [LoggerMessage(EventId = 787, Level = LogLevel.Error, Message = "Reload failed unexpectedly; the previous rules keep running")]
    public static partial void ReloadCrashed(ILogger logger, Exception ex);
}
