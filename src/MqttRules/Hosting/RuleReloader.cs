using Microsoft.Extensions.Logging;
using MqttRules.Diagnostics;
using MqttRules.Engine;
using MqttRules.History;
using MqttRules.Loading;
using MqttRules.Mqtt;

namespace MqttRules.Hosting;

/// <summary>The outcome of one reload: the summary, or the problems that kept the previous rules running.</summary>
public sealed record ReloadOutcome(ReloadSummary? Summary, IReadOnlyList<Problem> Problems)
{
    public bool Ok => Summary is not null;
}

/// <summary>
/// Reloads the rules (SIGHUP, <c>POST /-/reload</c>, <c>--watch</c>): reads and validates every file
/// first, off the engine thread; with any problem the running rules stay and each problem is logged.
/// Otherwise the engine swaps the rules on its own thread between two messages, then the
/// subscriptions follow (new ones first). One reload at a time; the outbox is not touched.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "a SemaphoreSlim whose wait handle is never used holds nothing to dispose")]
internal sealed class RuleReloader(string rulesPath, HostOptions options, EngineLoop loop, MqttConnection connection, ILogger log)
{
    private readonly SemaphoreSlim one = new(1, 1);

    /// <summary>Told the ids of the rules in force after each successful reload (presence: discovery configs).</summary>
    public Action<IEnumerable<string>>? RulesChanged { get; init; }

    public async Task<ReloadOutcome> ReloadAsync(string trigger, CancellationToken ct)
    {
        await one.WaitAsync(ct);
        try
        {
            HostingLog.Reloading(log, trigger, rulesPath);
            var loaded = RuleLoader.Load(rulesPath, options.Environment);
            if (!loaded.Ok)
            {
                foreach (var problem in loaded.Problems)
                {
                    HostingLog.ReloadProblem(log, problem.ToString());
                }

                options.Metrics.RulesLoaded(false, options.Clock.GetUtcNow());
                HostingLog.ReloadFailed(log, loaded.Summary);
                return new ReloadOutcome(null, loaded.Problems);
            }

            var (summary, filters) = await loop.OnEngineThreadAsync(engine =>
                (engine.Reload(loaded.Rules, HistoryFor), engine.Subscriptions), ct);
            options.Metrics.RulesLoaded(true, options.Clock.GetUtcNow());
            HostingLog.Reloaded(log, summary.ToString());
            RulesChanged?.Invoke(loaded.Rules.Rules.Select(r => r.Id));
            await connection.ResubscribeAsync(filters, ct);
            return new ReloadOutcome(summary, []);
        }
        finally
        {
            one.Release();
        }
    }

    private static IHistoryRecorder? HistoryFor(IReadOnlySet<Expressions.HistoryKey> keys) =>
        keys.Count > 0 ? new MessageHistory(keys) : null;
}
