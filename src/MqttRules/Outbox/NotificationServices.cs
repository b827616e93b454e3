using MqttRules.Storage;

namespace MqttRules.Outbox;

/// <summary>
/// What <c>run</c> needs for durable notifications: the sink for external actions, the rule state
/// store, and the delivery loop's start/stop. Dispose after the engine has stopped.
/// </summary>
public sealed class NotificationServices : IAsyncDisposable
{
    private readonly StateDatabase db;
    private readonly HttpClient http;
    private bool disposed;

    internal NotificationServices(StateDatabase db, HttpClient http, OutboxStore store, OutboxSink outbox, OutboxDelivery delivery)
    {
        this.db = db;
        this.http = http;
        Store = store;
        Outbox = outbox;
        Delivery = delivery;
        State = new SqliteStateStore(db);
    }

    /// <summary>Forward tweet, webhook and email actions here (<see cref="Actions.RenderedAction.IsExternal"/>).</summary>
    public OutboxSink Outbox { get; }

    /// <summary>Pass as <c>EngineOptions.StateStore</c>.</summary>
    public SqliteStateStore State { get; }

    public OutboxStore Store { get; }

    /// <summary>The state file itself (publish journal, held writes): pass as <c>LiveHost.Database</c>.</summary>
    public StateDatabase Database => db;
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
        db.Dispose();
    }
}
