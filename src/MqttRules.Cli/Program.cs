using MqttRules.Cli;
using MqttRules.Configuration;
using MqttRules.Diagnostics;

try
{
    Redaction.Current = Redaction.WithExtra(new Secrets(Environment.GetEnvironmentVariable).Text("MQTTRULES_REDACT_PARAMS"));
    var options = CliOptions.Parse(args);
    return options.Command switch
    {
        "validate" => ValidateCommand.Run(options, Console.Out),
        "replay" => ReplayCommand.Run(options, Console.Out, Console.Error),
        "help" => Help.Print(Console.Out),
        "schema" => SchemaCommand.Run(Console.Out, options.GetBool("tests")),
        "test" => TestCommand.Run(options, Console.Out, Console.Error),
        "healthcheck" => await HealthcheckCommand.RunAsync(options, Console.Out),
        "record" => await RecordCommand.RunAsync(options),
        _ => await RunCommand.RunAsync(options),
    };
}
catch (UsageException ex)
{
    await Console.Error.WriteLineAsync($"mqttrules: {ex.Message}");
    return 1;
}
catch (ConfigException ex)
{
    // Unreadable *_FILE, bad value: one line naming the variable, never a stack trace.
    await Console.Error.WriteLineAsync($"mqttrules: {ex.Message}");
    return 1;
}
catch (Exception ex) when (ex is not OperationCanceledException)
{
    // The last line of defence: whatever input got this far is reported in one line, exit 1, never a crash (exit 134).
    await Console.Error.WriteLineAsync($"mqttrules: {ex.GetType().Name}: {Redaction.Current.Text(ex.Message.ReplaceLineEndings(" "))}");
    return 1;
}
