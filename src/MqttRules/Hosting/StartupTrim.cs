using Microsoft.Extensions.Logging;

namespace MqttRules.Hosting;

/// <summary>
/// Gives the memory that start-up used and left behind (loading and compiling the rules, opening
/// the state, starting the HTTP server and the connection) back to the system, once, shortly after
/// the start: one blocking, compacting full collection that also returns the free space to the
/// system (<see cref="GCCollectionMode.Aggressive"/>). Without it the heap keeps that space for as
/// long as the engine runs, which at idle is most of the engine's anonymous memory
/// (docs/benchmarks-live.md). The heap is small then, so the pause is a few milliseconds, once.
/// </summary>
internal static partial class StartupTrim
{
    /// <summary>How long after the start: start-up is over well before (the native build subscribes within a second).</summary>
    public static readonly TimeSpan After = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(TimeProvider clock, ILogger logger, CancellationToken ct)
    {
        try
        {
            await Task.Delay(After, clock, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var before = GC.GetTotalMemory(forceFullCollection: false);
        var pause = GC.GetTotalPauseDuration();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Trimmed(logger, before / 1024, GC.GetTotalMemory(forceFullCollection: false) / 1024, (GC.GetTotalPauseDuration() - pause).TotalMilliseconds);
    }

    [LoggerMessage(EventId = 788, Level = LogLevel.Debug, Message = "Start-up memory given back: heap {BeforeKb} KB -> {AfterKb} KB, paused {PauseMs:F1} ms")]
    private static partial void Trimmed(ILogger logger, long beforeKb, long afterKb, double pauseMs);
}
