#pragma warning disable CA1707
using Microsoft.Extensions.Logging.Abstractions;
using MqttRules.Diagnostics;
using MqttRules.Hosting;
using MqttRules.Mqtt;
using MqttRules.State;
using MqttRules.Storage;

namespace MqttRules.Tests.Hosting;

/// <summary>Issue 12: the live engine's rule state reaches the state file once per commit, deletions included.</summary>
public sealed class JournalFirstStateStoreTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("mqttrules-jfs-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static SeriesSnapshot Snapshot(string series, Phase phase) =>
        new("rule", series, phase, null, null, null, null, null, null, null, null);

    [Fact]
    public void Commit_WritesTheLatestStateOfEachSeries_AndDeletesEvictedOnes_NotBefore()
    {
        using var db = StateDatabase.Open(Path.Combine(dir, "state.db"));
        var file = new SqliteStateStore(db);
        var store = new JournalFirstStateStore(file, new LiveActionSink(new NoPublisher(), NullLogger.Instance, new EngineMetrics()), NullLogger.Instance);
        var durability = new StoreDurability(db, null, store);
        file.SaveSeries([Snapshot("old", Phase.Firing)]);

        store.SaveSeries([Snapshot("a", Phase.Firing)]);
        store.SaveSeries([Snapshot("a", Phase.Idle), Snapshot("b", Phase.Firing)]);
        store.DeleteSeries([("rule", "old")]);
        Assert.Equal(["old"], file.LoadSeries().Select(s => s.Series)); // nothing written before the commit

        Assert.True(durability.Commit());

        var saved = file.LoadSeries().OrderBy(s => s.Series).Select(s => (s.Series, s.Phase)).ToArray();
        Assert.Equal([("a", Phase.Idle), ("b", Phase.Firing)], saved);
    }

    [Fact]
    public void Commit_PendingConfirmations_LatestSetWrittenAtTheCommitNotBefore()
    {
        using var db = StateDatabase.Open(Path.Combine(dir, "state.db"));
        var file = new SqliteStateStore(db);
        var store = new JournalFirstStateStore(file, new LiveActionSink(new NoPublisher(), NullLogger.Instance, new EngineMetrics()), NullLogger.Instance);
        var durability = new StoreDurability(db, null, store);
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        ConfirmationSnapshot Waiting(string meter) => new("valve", $"home/{meter}/leak", "actions", 0, $"valves/{meter}/state", [meter], 1, t.AddSeconds(10),
            "id-" + meter, 0, t, $"valves/{meter}/set", "CLOSE"u8.ToArray(), false, 1, false);

        store.SaveConfirmations([Waiting("a"), Waiting("b")]);
        store.SaveConfirmations([Waiting("b")]);
        Assert.Empty(file.LoadConfirmations());

        Assert.True(durability.Commit());

        var saved = Assert.Single(store.LoadConfirmations());
        Assert.Equal(("valves/b/state", "valves/b/set", "CLOSE", t.AddSeconds(10)), (saved.ConfirmTopic, saved.Topic, System.Text.Encoding.UTF8.GetString(saved.Payload), saved.Due));
    }

    private sealed class NoPublisher : IMqttPublisher
    {
        public bool IsConnected => true;

        public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken ct) => Task.CompletedTask;

        public Task WaitConnectedAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
