using System.Threading.Channels;
using MqttRules.Engine;

namespace MqttRules.Hosting;

/// <summary>Work for the engine's own thread (a reload), run between two messages, never during one.</summary>
public sealed partial class EngineLoop
{
    private readonly Channel<Request> requests = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Runs <paramref name="work"/> on the evaluation thread between two messages: messages queued
    /// before it and not yet evaluated are evaluated after it. Cancelled when the loop stops first.
    /// </summary>
    public Task<T> OnEngineThreadAsync<T>(Func<RuleEngine, T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = new Request(engine =>
        {
            try
            {
                done.TrySetResult(work(engine));
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        }, () => done.TrySetCanceled());
        if (!requests.Writer.TryWrite(request))
        {
            request.Cancel();
        }

        return done.Task;
    }

    private void RunRequests(RuleEngine engine)
    {
        while (requests.Reader.TryRead(out var request))
        {
            request.Run(engine);
        }
    }

    private void CancelRequests()
    {
        requests.Writer.TryComplete();
        while (requests.Reader.TryRead(out var request))
        {
            request.Cancel();
        }
    }

    /// <summary>Returns when a message or a request waits (or <paramref name="stop"/> is cancelled: a timer or the end).</summary>
    private async Task WaitForMessageOrRequestAsync(CancellationTokenSource stop)
    {
        var message = queue.Reader.WaitToReadAsync(stop.Token).AsTask();
        var request = requests.Reader.WaitToReadAsync(stop.Token).AsTask();
        var first = await Task.WhenAny(message, request);
        await stop.CancelAsync();
        await first;
    }

    private sealed record Request(Action<RuleEngine> Run, Action Cancel);
}
