using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using MqttRules.Mqtt;

namespace MqttRules.Demo;

/// <summary>
/// <c>--demo</c>: a pretend water meter on the embedded broker. It publishes
/// <c>home/main/water</c> = <c>{"flow":{"lpm":N}}</c> every second: a normal 2–8 L/min, then
/// after 20 s a burst pipe at ~45 L/min for 20 s. A <c>CLOSE</c> on <c>valves/main/set</c>
/// stops the flow (the rules closed the valve) and the valve reports <c>CLOSED</c> on
/// <c>valves/main/state</c> (what the house rule's <c>confirm:</c> waits for); the plumber reopens it
/// 15 s later (<c>OPEN</c>) and the story repeats.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "the connection is disposed when RunAsync ends, and a simulator does nothing else")]
internal sealed class WaterMeterSimulator
{
    public const string Topic = "home/main/water";
    public const string ValveTopic = "valves/main/set";
    public const string ValveStateTopic = "valves/main/state";
    private static readonly TimeSpan NormalBeforeBurst = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan BurstLength = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ClosedLength = TimeSpan.FromSeconds(15);

    private readonly MqttConnection connection;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly Random random = new(42);
    private DateTimeOffset phaseStart;
    private Phase phase = Phase.Normal;
    private volatile bool closeRequested;
    private string? valveReport;

    public WaterMeterSimulator(MqttSettings engineSettings, TimeProvider clock, ILogger logger)
    {
        this.clock = clock;
        this.logger = logger;
        var settings = engineSettings with { ClientId = "mqttrules-demo-meter", PersistentSession = false, SubscribeQos = 1 };
        connection = new MqttConnection(settings, OnValve, logger, clock) { Filters = [ValveTopic] };
    }

    private enum Phase { Normal, Burst, Closed }

    public async Task RunAsync(CancellationToken ct)
    {
        var connecting = connection.RunAsync(ct);
        try
        {
            await connection.WaitConnectedAsync(ct);
            DemoLog.Publishing(logger, Topic, NormalBeforeBurst.TotalSeconds);
            phaseStart = clock.GetUtcNow();
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
            var tick = 0;
            do
            {
                var lpm = Step(clock.GetUtcNow());
                var payload = string.Create(CultureInfo.InvariantCulture, $"{{\"flow\":{{\"lpm\":{lpm:0.0}}}}}");
                if (tick++ % 5 == 0 || phase == Phase.Burst)
                {
                    DemoLog.Reading(logger, Topic, payload);
                }

                try
                {
                    await connection.PublishAsync(Topic, Encoding.UTF8.GetBytes(payload), 0, false, ct);
                    if (Interlocked.Exchange(ref valveReport, null) is { } position)
                    {
                        await connection.PublishAsync(ValveStateTopic, Encoding.UTF8.GetBytes(position), 1, true, ct);
                    }
                }
                catch (MqttNotConnectedException)
                {
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            await connecting;
            await connection.DisposeAsync();
        }
    }

    private double Step(DateTimeOffset now)
    {
        var elapsed = now - phaseStart;
        if (closeRequested && phase != Phase.Closed)
        {
            DemoLog.ValveClosed(logger);
            Enter(Phase.Closed, now);
        }
        else if (phase == Phase.Normal && elapsed >= NormalBeforeBurst)
        {
            DemoLog.PipeBursts(logger);
            Enter(Phase.Burst, now);
        }
        else if (phase == Phase.Burst && elapsed >= BurstLength)
        {
            DemoLog.LeakStops(logger);
            Enter(Phase.Normal, now);
        }
        else if (phase == Phase.Closed && elapsed >= ClosedLength)
        {
            DemoLog.ValveReopened(logger, NormalBeforeBurst.TotalSeconds);
            Enter(Phase.Normal, now);
        }

        return phase switch
        {
            Phase.Burst => 42 + (random.NextDouble() * 6),
            Phase.Closed => 0,
            _ => 2 + (random.NextDouble() * 6),
        };
    }

    private void Enter(Phase next, DateTimeOffset now)
    {
        if (next == Phase.Closed || phase == Phase.Closed)
        {
            valveReport = next == Phase.Closed ? "CLOSED" : "OPEN";
        }

        phase = next;
        phaseStart = now;
        closeRequested = false;
    }

    private ValueTask OnValve(IncomingMessage message)
    {
        if (Encoding.UTF8.GetString(message.Payload.Span).Trim().Equals("CLOSE", StringComparison.OrdinalIgnoreCase))
        {
            closeRequested = true;
        }

        return message.AcknowledgeAsync(CancellationToken.None);
    }
}
