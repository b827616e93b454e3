using MqttRules.Cli;
using MqttRules.Configuration;
using MqttRules.Diagnostics;

Redaction.Current = Redaction.WithExtra(new Secrets(Environment.GetEnvironmentVariable).Text("MQTTRULES_REDACT_PARAMS"));
return await CliMain.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
