using System.Runtime.InteropServices;

namespace MqttRules.Cli;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM (container stop) cancel <see cref="Token"/> instead of killing the
/// process. SIGHUP never kills it: it calls <see cref="Reload"/> (<c>run</c> reloads the rules), or does nothing.
/// </summary>
internal sealed class Shutdown : IDisposable
{
    private readonly CancellationTokenSource cts = new();
    private readonly PosixSignalRegistration[] registrations;

    public Shutdown()
    {
        registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, HandleHangup),
        ];
    }

    public CancellationToken Token => cts.Token;

    /// <summary>What SIGHUP does (on a thread-pool thread); null: nothing.</summary>
    public Action? Reload { get; set; }

    public void Dispose()
    {
        foreach (var r in registrations)
        {
            r.Dispose();
        }

        cts.Dispose();
    }

    private void HandleHangup(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Reload is { } reload)
        {
            ThreadPool.QueueUserWorkItem(_ => reload());
        }
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        cts.Cancel();
    }
}
