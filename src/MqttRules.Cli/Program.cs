using MqttRules.Cli;
using MqttRules.Configuration;
using MqttRules.Diagnostics;

// Socket completions (the broker connection's reads above all) go on on the socket engine's own
// thread instead of being handed to a thread-pool thread: at a steady rate that hand-off, and the
// pool's habit of waking a second thread after it, cost more than evaluating a message
// (docs/benchmarks-live.md). Nothing here waits synchronously on a socket. Set before the first
// socket exists; DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 in the environment turns it off.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

Redaction.Current = Redaction.WithExtra(new Secrets(Secrets.Process).Text("MQTTRULES_REDACT_PARAMS"));
return await CliMain.RunAsync(args, Console.Out, Console.Error, Secrets.Process);
