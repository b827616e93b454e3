using System.Net;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Mqtt;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Mqtt;

/// <summary>Issue 10, point 5: 54 refused connections were 54 warnings; now the first one and a summary a minute.</summary>
public class EmbeddedRefusalsTests
{
    [Fact]
    public void Refusals_Flood_FirstInFullThenOneSummaryAMinute()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero));
        var log = new ListLogger();
        using var refusals = new EmbeddedRefusals(log, new EmbeddedLimits { MaxConnections = 2 }, clock);
        var remote = new IPEndPoint(IPAddress.Loopback, 40000);

        for (var i = 0; i < 54; i++)
        {
            refusals.TooManyConnections(remote);
        }

        Assert.Single(log.Lines);
        Assert.Contains("2 connections are open", log.Lines[0].Text);

        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(2, log.Lines.Count);
        Assert.Equal("Embedded broker: 53 more refused in the last minute (MQTTRULES_EMBEDDED_MAX_CONNECTIONS)", log.Lines[1].Text);

        clock.Advance(TimeSpan.FromMinutes(5));
        refusals.TooManyConnections(remote);
        Assert.Equal(3, log.Lines.Count);
        Assert.Contains("2 connections are open", log.Lines[2].Text);
    }

    [Fact]
    public void Refusals_OfDifferentLimits_EachLoggedOnce()
    {
        var clock = new FakeTimeProvider();
        var log = new ListLogger();
        using var refusals = new EmbeddedRefusals(log, new EmbeddedLimits(), clock);

        refusals.TooManySessions("a");
        refusals.TooManySessions("b");
        refusals.ConnectTimedOut(null);
        refusals.PacketTooLarge(null, 5_000_000);
        refusals.OverBudget(null, 600);

        Assert.Equal(4, log.Lines.Count);
        Assert.Contains("no CONNECT within 10 s (MQTTRULES_EMBEDDED_CONNECT_TIMEOUT)", log.Lines[1].Text);
        Assert.Contains("MQTTRULES_EMBEDDED_MAX_INCOMPLETE_BYTES", log.Lines[3].Text);
    }
}
