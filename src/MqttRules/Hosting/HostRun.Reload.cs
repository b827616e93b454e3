using System.Net;
using MqttRules.Mqtt;

namespace MqttRules.Hosting;

/// <summary>Reloading the rules of a running host, and who may ask for it over HTTP.</summary>
internal sealed partial class HostRun
{
    /// <summary>Reloads the rules (see <see cref="RuleReloader"/>); null when this run cannot (no rules path, stopping).</summary>
    public async Task<ReloadOutcome?> ReloadAsync(string trigger)
    {
        if (reloader is null)
        {
            HostingLog.ReloadUnavailable(log, "the rules were not loaded from a path");
            return null;
        }

        try
        {
            return await reloader.ReloadAsync(trigger, stopLoop.Token);
        }
        catch (OperationCanceledException)
        {
            HostingLog.ReloadUnavailable(log, "the engine is stopping");
            return null;
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
        catch (Exception ex)
        {
            HostingLog.ReloadCrashed(log, ex);
            return null;
        }
    }

    /// <summary>The endpoints that change something: only with a token; a listener beyond loopback without one is warned about.</summary>
    private HttpWrites? Writes(HostPort http)
    {
        if (options.HttpToken is not { } token)
        {
            if (!IPAddress.IsLoopback(http.Address))
            {
                HostingLog.HttpOpenWithoutToken(log, http.ToString());
            }

            return null;
        }

        return new HttpWrites(token, () => ReloadAsync("POST /-/reload")) { Lifecycle = ExecuteAsync };
    }

    /// <summary>A lifecycle command from HTTP, run on the engine thread; null when the engine does not answer (stopping, busy).</summary>
    private async Task<Lifecycle.CommandResult?> ExecuteAsync(Lifecycle.LifecycleCommand command)
    {
        try
        {
            return await loop!.OnEngineThreadAsync(e => e.Execute(command), stopLoop.Token).WaitAsync(RuleApi.Timeout, options.Clock);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            return null;
        }
    }
}
