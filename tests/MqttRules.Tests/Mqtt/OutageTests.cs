using Microsoft.Extensions.Time.Testing;
using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

/// <summary>While the broker stays down, the operator hears about it at least once a minute, with how long.</summary>
public class OutageTests
{
    [Fact]
    public void BrokerDownTenMinutes_ReportedAtLeastEveryMinuteWithTheDuration_NotEveryAttempt()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var outage = new Outage(clock);
        var reports = new List<(DateTimeOffset At, TimeSpan Down)>();
        var backoff = MqttConnection.InitialBackoff;
        var attempts = 0;
        var start = clock.GetUtcNow();
        while (clock.GetUtcNow() - start < TimeSpan.FromMinutes(10))
        {
            attempts++;
            if (outage.Failed(backoff) is { } down)
            {
                reports.Add((clock.GetUtcNow(), down));
            }

            clock.Advance(backoff + TimeSpan.FromSeconds(attempts % 3 == 0 ? 10 : 0)); // some attempts time out
            backoff = backoff * 2 > MqttConnection.MaxBackoff ? MqttConnection.MaxBackoff : backoff * 2;
        }

        Assert.Equal(TimeSpan.Zero, reports[0].Down);
        var times = reports.Select(r => r.At).Append(clock.GetUtcNow()).ToArray();
        Assert.All(times.Zip(times.Skip(1)), p => Assert.True(p.Second - p.First <= Outage.ReportEvery, $"{p.First:T} → {p.Second:T}"));
        Assert.Single(reports, r => r.At - start < TimeSpan.FromSeconds(30)); // the quick first retries stay quiet
        Assert.All(reports, r => Assert.True(reports.Count(o => o.At >= r.At && o.At < r.At + Outage.ReportEvery) <= 2, $"more than 2 reports in the minute from {r.At:T}"));
        Assert.True(attempts > reports.Count, $"{reports.Count} reports for {attempts} attempts");
        Assert.All(reports, r => Assert.Equal(r.At - start, r.Down));
    }

    [Fact]
    public void Recovered_NextOutageStartsAtZero()
    {
        var clock = new FakeTimeProvider();
        var outage = new Outage(clock);
        outage.Failed(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromMinutes(5));
        outage.Recovered();

        Assert.Equal(TimeSpan.Zero, outage.Failed(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void ConnectionLost_DurationCountsFromTheLoss()
    {
        var clock = new FakeTimeProvider();
        var outage = new Outage(clock);
        outage.Lost();
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(TimeSpan.FromSeconds(2), outage.Failed(TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(45, "45 s")]
    [InlineData(185, "3 min 5 s")]
    [InlineData(7800, "2 h 10 min")]
    public void Format_ReadsLikeADuration(int seconds, string expected) =>
        Assert.Equal(expected, Outage.Format(TimeSpan.FromSeconds(seconds)));
}
