using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

/// <summary>The real connection loop against a port where nothing listens, on a fake clock.</summary>
public class UnreachableBrokerTests
{
    [Fact]
    public async Task BrokerDownFiveMinutes_AWarningAtLeastEveryMinute_SayingHowLong()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var log = new ListLogger(clock);
        var settings = MqttSettings.FromEnvironment($"mqtt://127.0.0.1:{ClosedPort()}", "unreachable-test", _ => null);
        await using var connection = new MqttConnection(settings, null, log, clock);
        using var stop = new CancellationTokenSource();
        var start = clock.GetUtcNow();
        var run = connection.RunAsync(stop.Token);

        for (var attempt = 1; clock.GetUtcNow() - start < TimeSpan.FromMinutes(5); attempt++)
        {
            await Wait.UntilAsync(() => log.Attempts.Count >= attempt, what: $"attempt {attempt}");
            clock.Advance(log.Attempts[^1].Delay);

            // the loop may not have started waiting yet when the clock moved: nudge it along
            while (!await Progressed(log, attempt))
            {
                clock.Advance(TimeSpan.FromMilliseconds(100));
            }
        }

        await stop.CancelAsync();
        await run;

        var warnings = log.Attempts.Where(a => a.Level == LogLevel.Warning).ToList();
        var times = warnings.Select(w => w.At).Append(clock.GetUtcNow()).ToList();
        Assert.All(times.Zip(times.Skip(1)), p => Assert.True(p.Second - p.First <= TimeSpan.FromMinutes(1), $"{p.First:T} → {p.Second:T}"));
        Assert.True(warnings.Count < log.Attempts.Count, $"{warnings.Count} warnings for {log.Attempts.Count} attempts");
        Assert.Contains(warnings, w => w.Text.Contains("unreachable for 4 min", StringComparison.Ordinal));
    }

    private static async Task<bool> Progressed(ListLogger log, int attempt)
    {
        var limit = System.Diagnostics.Stopwatch.StartNew();
        while (limit.Elapsed < TimeSpan.FromMilliseconds(200))
        {
            if (log.Attempts.Count > attempt)
            {
                return true;
            }

            await Task.Delay(5);
        }

        return false;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class ListLogger(TimeProvider clock) : ILogger
    {
        private readonly List<(DateTimeOffset At, LogLevel Level, string Text, TimeSpan Delay)> attempts = [];

        public IReadOnlyList<(DateTimeOffset At, LogLevel Level, string Text, TimeSpan Delay)> Attempts
        {
            get
            {
                lock (attempts)
                {
                    return attempts.ToArray();
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is not IReadOnlyList<KeyValuePair<string, object?>> fields || !fields.Any(f => f.Key == "Delay"))
            {
                return;
            }

            var delay = TimeSpan.FromSeconds(Convert.ToDouble(fields.First(f => f.Key == "Delay").Value, System.Globalization.CultureInfo.InvariantCulture));
            lock (attempts)
            {
                attempts.Add((clock.GetUtcNow(), logLevel, formatter(state, exception), delay));
            }
        }
    }
}
