using System.Collections.Concurrent;
using System.Diagnostics;

namespace MqttRules.IntegrationTests.Infrastructure;

/// <summary>A process whose stdout and stderr lines are collected for polling.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> stdout = new();
    private readonly ConcurrentQueue<string> stderr = new();

    private ChildProcess(Process process) => this.process = process;

    public int Id => process.Id;
    public bool HasExited => process.HasExited;
    public int ExitCode => process.ExitCode;
    public IReadOnlyList<string> Stdout => stdout.ToArray();
    public IReadOnlyList<string> Stderr => stderr.ToArray();
    public string AllOutput => string.Join("\n", Stderr) + "\n" + string.Join("\n", Stdout);

    /// <summary>
    /// A job started in the background (<c>bash .ci/run &amp;</c>, CI runners) inherits SIGINT as
    /// ignored, and an ignored signal stays ignored across exec, so a test that sends SIGINT would see
    /// nothing happen. Children are started through <c>env --default-signal=INT</c> (coreutils 8.31+),
    /// which restores the default before exec'ing (same process id, so signals still reach the child).
    /// </summary>
    private static readonly bool ResetsSignals = EnvResetsSignals();

    private static bool EnvResetsSignals()
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("/usr/bin/env", ["--default-signal=INT", "true"])
            {
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (probe is null)
            {
                return false;
            }

            probe.WaitForExit();
            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public static ChildProcess Start(string file, IEnumerable<string> args, IDictionary<string, string?>? env = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(ResetsSignals ? "/usr/bin/env" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (ResetsSignals)
        {
            psi.ArgumentList.Add("--default-signal=INT");
            psi.ArgumentList.Add(file);
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("MQTTRULES_", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }

        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }

        var p = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var child = new ChildProcess(p);
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) { child.stdout.Enqueue(e.Data); } };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) { child.stderr.Enqueue(e.Data); } };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return child;
    }

    public int CountStderr(string text) => stderr.Count(l => l.Contains(text, StringComparison.Ordinal));

    public int CountStdout(string text) => stdout.Count(l => l.Contains(text, StringComparison.Ordinal));

    public Task WaitForStderrAsync(string text, int count = 1, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => CountStderr(text) >= count || (process.HasExited && CountStderr(text) < count && Fail(text)), $"'{text}' x{count} on stderr; got:\n{AllOutput}", timeout);

    private bool Fail(string text) => throw new Xunit.Sdk.XunitException($"process exited ({process.ExitCode}) before printing '{text}':\n{AllOutput}");

    /// <summary>Waits for exit; returns the exit code, or fails after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"process did not exit within {timeout.TotalSeconds:0} s:\n{AllOutput}");
        }

        process.WaitForExit();
        return process.ExitCode;
    }

    public void Signal(int signal)
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("/bin/kill", ["-" + signal.ToString(System.Globalization.CultureInfo.InvariantCulture), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
    }

    public void Terminate() => Signal(15);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
