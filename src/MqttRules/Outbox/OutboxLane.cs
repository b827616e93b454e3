using System.Threading.Channels;

namespace MqttRules.Outbox;

/// <summary>One delivery queue, worked by one task, in order.</summary>
internal sealed class OutboxLane
{
    private readonly OutboxDelivery owner;

    public OutboxLane(OutboxDelivery owner, CancellationToken draining, CancellationToken aborting)
    {
        this.owner = owner;
        Worker = Task.Run(() => WorkAsync(draining, aborting), CancellationToken.None);
    }

    public Channel<OutboxRow> Queue { get; } = Channel.CreateUnbounded<OutboxRow>();
    public Task Worker { get; }
    private long blockedUntilTicks;

    /// <summary>After a failed delivery the lane rests until the row's next attempt (read and written by two threads).</summary>
    public DateTimeOffset BlockedUntil
    {
        get => new(Interlocked.Read(ref blockedUntilTicks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref blockedUntilTicks, value.UtcTicks);
    }

    private async Task WorkAsync(CancellationToken draining, CancellationToken ct)
    {
        try
        {
            await foreach (var row in Queue.Reader.ReadAllAsync(draining))
            {
                try
                {
                    if (BlockedUntil <= owner.Now)
                    {
                        await owner.DeliverAsync(this, row, ct);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    owner.LaneFailed(ex);
                }
                finally
                {
                    owner.Release(row.Id);
                    if (Queue.Reader.Count == 0)
                    {
                        owner.Wake();   // more may be waiting in the store: ask for them now, not at the next poll
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
