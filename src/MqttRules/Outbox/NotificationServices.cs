namespace MqttRules.Outbox;

/// <summary>
/// The durable outbox of <c>run</c>: the sink for external actions and the delivery loop's
/// start/stop. Dispose after the engine has stopped and before the state file is closed.
/// </summary>
internal sealed class NotificationServices : IAsyncDisposable
{
    private readonly HttpClient http;
    private bool disposed;

    internal NotificationServices(HttpClient http, OutboxStore store, OutboxSink outbox, OutboxDelivery delivery)
    {
        this.http = http;
        Store = store;
        Outbox = outbox;
        Delivery = delivery;
    }

    /// <summary>Forward tweet, webhook and email actions here (<see cref="Actions.RenderedAction.IsExternal"/>).</summary>
    public OutboxSink Outbox { get; }

    public OutboxStore Store { get; }
    public OutboxDelivery Delivery { get; }

    /// <summary>Starts the background delivery loop (pending rows from earlier runs go out first).</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Delivery.Start();
        return Task.CompletedTask;
    }

    /// <summary>Stops delivering within the configured stop timeout; undelivered rows stay for the next start.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => Delivery.StopAsync();

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        await Delivery.DisposeAsync();
        http.Dispose();
    }
}
