using MqttRules.Diagnostics;
using MqttRules.IntegrationTests.Peers;

using MqttRules.Outbox;
using MqttRules.Storage;

namespace MqttRules.IntegrationTests.Notifications;

/// <summary>Notification services over a temp state file, composed exactly as <c>run</c> does, with short backoffs.</summary>
public sealed class Harness : IAsyncDisposable
{
    public static readonly DeliveryOptions Fast = new()
    {
        MaxAttempts = 3,
        BaseDelay = TimeSpan.FromMilliseconds(20),
        MaxDelay = TimeSpan.FromMilliseconds(100),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        RescheduleBase = TimeSpan.FromMilliseconds(200),
        RescheduleMax = TimeSpan.FromMilliseconds(400),
        PollInterval = TimeSpan.FromMilliseconds(25),
        StopTimeout = TimeSpan.FromSeconds(1),
    };

    private readonly bool ownsFile;

    private Harness(string path, IReadOnlyDictionary<string, string> env, DeliveryOptions options, bool ownsFile)
    {
        Path = path;
        this.ownsFile = ownsFile;
        Env = env;
        Services = MqttRules.Outbox.Notifications.Create(path, n => env.GetValueOrDefault(n), TimeProvider.System, Logs.Factory(), Metrics, options);
    }

    public string Path { get; }
    public IReadOnlyDictionary<string, string> Env { get; }
    public CollectingLogger Logs { get; } = new();
    public EngineMetrics Metrics { get; } = new();
    public NotificationServices Services { get; }
    public OutboxStore Store => Services.Store;

    public static async Task<Harness> StartAsync(IReadOnlyDictionary<string, string> env, DeliveryOptions? options = null, string? path = null)
    {
        var h = new Harness(path ?? NewPath(), env, options ?? Fast, ownsFile: path is null);
        await h.Services.StartAsync();
        return h;
    }

    public static string NewPath() => System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mqttrules-it-{Guid.NewGuid():N}.db");

    public static void Delete(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
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
        if (ownsFile)
        {
            Delete(Path);
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

internal static class Wait
{
    /// <summary>Polls until the condition holds; fails the test after the bound.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan? bound = null, string? what = null)
    {
        var limit = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (limit.Elapsed > (bound ?? TimeSpan.FromSeconds(10)))
            {
                Assert.Fail($"timed out waiting for {what ?? "condition"}");
            }

            await Task.Delay(10);
        }
    }
}
