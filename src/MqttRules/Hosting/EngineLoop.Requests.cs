using MqttRules.Engine;

namespace MqttRules.Hosting;

/// <summary>Work for the engine's own thread that answers (a reload): run between two batches of messages, never during one.</summary>
internal sealed partial class EngineLoop
{
    /// <summary>
    /// Runs <paramref name="work"/> on the evaluation thread (see <see cref="Post"/>): messages queued
    /// and not yet evaluated are evaluated after it. Waiting for it ends with <paramref name="ct"/> (a stop).
    /// </summary>
    public Task<T> OnEngineThreadAsync<T>(Func<RuleEngine, T> work, CancellationToken ct)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(engine =>
        {
            try
            {
                done.TrySetResult(work(engine));
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        });
        return done.Task.WaitAsync(ct);
    }
}
