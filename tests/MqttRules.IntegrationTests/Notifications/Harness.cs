using Microsoft.Extensions.Logging;
using MqttRules.Diagnostics;
using MqttRules.IntegrationTests.Peers;

using MqttRules.Outbox;
using MqttRules.Storage;

namespace MqttRules.IntegrationTests.Notifications;

/// <summary>Notification services over a temp state file, composed exactly as <c>run</c> does, with short backoffs.</summary>
internal sealed class Harness : IAsyncDisposable
{
    private readonly bool ownsFile;

    private Harness(string path, IReadOnlyDictionary<string, string> env, DeliveryOptions options, bool ownsFile)
    {
        Path = path;
        this.ownsFile = ownsFile;
        Env = env;
        Database = StateDatabase.Open(path);
        State = new SqliteStateStore(Database);
        var logger = Logs.Factory().CreateLogger("MqttRules.Outbox");
        var settings = NotificationSettings.FromEnvironment(n => env.GetValueOrDefault(n), logger, options);
        Services = MqttRules.Outbox.Notifications.Create(Database, settings, TimeProvider.System, logger, Metrics);
    }

    public string Path { get; }
    public IReadOnlyDictionary<string, string> Env { get; }
    public CollectingLogger Logs { get; } = new();
    public EngineMetrics Metrics { get; } = new();
    public NotificationServices Services { get; }
    public StateDatabase Database { get; }

    /// <summary>The rule state store over the same file, as the host gives the engine.</summary>
    public SqliteStateStore State { get; }
    public OutboxStore Store => Services.Store;

    public static async Task<Harness> StartAsync(IReadOnlyDictionary<string, string> env, DeliveryOptions? options = null, string? path = null)
    {
        var h = new Harness(path ?? TempDb.NewPath(), env, options ?? FastDelivery.Options, ownsFile: path is null);
        await h.Services.StartAsync();
        return h;
    }

    /// <summary>The body (or tweet text) of the marker <see cref="SettleLaneAsync"/> sends.</summary>
    public const string Marker = "settle-marker";

    /// <summary>
    /// Submits <paramref name="marker"/> (an action to the lane in question, carrying <see cref="Marker"/>)
    /// and waits until the outbox is done with it. A lane works in order, so by then nothing submitted
    /// before it in that lane is still in flight: a deterministic "nothing more will happen" signal.
    /// </summary>
    public async Task SettleLaneAsync(MqttRules.Actions.RenderedAction marker)
    {
        var done = Store.Delivered() + Store.DeadLetters();
        Services.Outbox.Submit(marker);
        await Wait.UntilAsync(() => Store.Delivered() + Store.DeadLetters() > done, what: "the marker behind the earlier rows of its lane");
    }

    /// <summary>The error stored with the single dead letter.</summary>
    public string DeadLetterError()
    {
        using var db = StateDatabase.Open(Path);
        using var cmd = db.Command("SELECT error FROM dead_letter");
        return (string)cmd.ExecuteScalar()!;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Database.Dispose();
        if (ownsFile)
        {
            TempDb.Delete(Path);
        }
    }
}

/// <summary>What run's live sink does: external actions to the outbox, the rest executed locally.</summary>
internal sealed class ExternalOnly(OutboxSink outbox) : MqttRules.Actions.IActionSink
{
    public void Submit(MqttRules.Actions.RenderedAction action)
    {
        if (action is MqttRules.Actions.ExternalAction)
        {
            outbox.Submit(action);
        }
    }
}
