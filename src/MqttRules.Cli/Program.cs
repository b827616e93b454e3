using MqttRules.Cli;
using MqttRules.Configuration;
using MqttRules.Diagnostics;

Redaction.Current = Redaction.WithExtra(new Secrets(Secrets.Process).Text("MQTTRULES_REDACT_PARAMS"));
return await CliMain.RunAsync(args, Console.Out, Console.Error, Secrets.Process);
