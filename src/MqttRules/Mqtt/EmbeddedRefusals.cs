using System.Net;
using Microsoft.Extensions.Logging;
using MqttRules.Engine;

namespace MqttRules.Mqtt;

/// <summary>
/// The embedded broker's refusals, logged per limit: the first in full, then at most one summary
/// line a minute with the number held back, so a flood of refused devices is not a flood of lines.
/// </summary>
internal sealed class EmbeddedRefusals : IDisposable
{
    private readonly ILogger logger;
    private readonly EmbeddedLimits limits;
    private readonly Lock gate = new();
    private readonly Dictionary<string, LogWindow> windows = [];
    private readonly TimeProvider clock;
    private readonly ITimer ticker;

    public EmbeddedRefusals(ILogger logger, EmbeddedLimits limits, TimeProvider clock)
    {
        (this.logger, this.limits, this.clock) = (logger, limits, clock);
        ticker = clock.CreateTimer(_ => Tick(), null, LogWindow.Length, LogWindow.Length);
    }

    public void PacketTooLarge(EndPoint? remote, long size) =>
        Refused("MQTTRULES_EMBEDDED_MAX_PACKET_SIZE", () => BrokerLog.PacketTooLarge(logger, remote?.ToString(), size, limits.MaxPacketSize));

    public void OverBudget(EndPoint? remote, long size) =>
        Refused("MQTTRULES_EMBEDDED_MAX_INCOMPLETE_BYTES", () => BrokerLog.OverBudget(logger, remote?.ToString(), size, limits.MaxIncompleteBytes));

    public void TooManyConnections(EndPoint? remote) =>
        Refused("MQTTRULES_EMBEDDED_MAX_CONNECTIONS", () => BrokerLog.TooManyConnections(logger, remote?.ToString(), limits.MaxConnections));

    public void TooManySessions(string clientId) =>
        Refused("MQTTRULES_EMBEDDED_MAX_SESSIONS", () => BrokerLog.TooManySessions(logger, clientId, limits.MaxSessions));

    public void ConnectTimedOut(EndPoint? remote) =>
        Refused("MQTTRULES_EMBEDDED_CONNECT_TIMEOUT", () => BrokerLog.ConnectTimedOut(logger, remote?.ToString(), limits.ConnectTimeoutSeconds));

    /// <summary>Summarizes the windows that have ended with refusals held back.</summary>
    public void Tick()
    {
        List<(string Variable, int Count)> ended;
        lock (gate)
        {
            ended = [.. windows.Select(w => (w.Key, w.Value.Expired())).Where(w => w.Item2 > 0)];
        }

        foreach (var (variable, count) in ended)
        {
            BrokerLog.MoreRefused(logger, count, variable);
        }
    }

    public void Dispose() => ticker.Dispose();

    private void Refused(string variable, Action log)
    {
        bool admitted;
        int ended;
        lock (gate)
        {
            if (!windows.TryGetValue(variable, out var window))
            {
                windows[variable] = window = new LogWindow(clock);
            }

            admitted = window.Admit(out ended);
        }

        if (ended > 0)
        {
            BrokerLog.MoreRefused(logger, ended, variable);
        }

        if (admitted)
        {
            log();
        }
    }
}
