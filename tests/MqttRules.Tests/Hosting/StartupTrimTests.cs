using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Hosting;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Hosting;

/// <summary>The one collection after start-up that gives start-up's memory back to the system.</summary>
public sealed class StartupTrimTests
{
    [Fact]
    public async Task RunAsync_AfterTenSeconds_CollectsOnceAndSaysHowMuch()
    {
        var clock = new FakeTimeProvider();
        var log = new ListLogger();
        var gen2 = GC.CollectionCount(2);
        var run = StartupTrim.RunAsync(clock, log, CancellationToken.None);

        clock.Advance(StartupTrim.After - TimeSpan.FromMilliseconds(1));
        Assert.False(run.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(GC.CollectionCount(2) > gen2);
        Assert.Contains(log.At(LogLevel.Debug), l => l.StartsWith("Start-up memory given back: heap ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_StoppedBefore_DoesNothing()
    {
        var clock = new FakeTimeProvider();
        var log = new ListLogger();
        using var stop = new CancellationTokenSource();
        var run = StartupTrim.RunAsync(clock, log, stop.Token);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(log.Lines);
    }
}
