using System.Runtime.InteropServices;

namespace MqttRules.Cli;

/// <summary>SIGINT (Ctrl-C) and SIGTERM (container stop) cancel <see cref="Token"/> instead of killing the process.</summary>
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
        ];
    }

    public CancellationToken Token => cts.Token;

    public void Dispose()
    {
        foreach (var r in registrations)
        {
            r.Dispose();
        }

        cts.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        cts.Cancel();
    }
}
