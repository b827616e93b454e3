using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace MqttRules.Cli;

/// <summary>
/// The command tree on System.CommandLine: each command with its options and help (with
/// examples), <c>-h</c>/<c>--help</c> everywhere, <c>--version</c> on the root. With no command,
/// the root runs <c>run</c>. Every command accepts the common options; its help shows those it uses.
/// </summary>
internal static class CommandLine
{
    /// <summary>The commands, in the order help lists them (<c>run</c> is also the default).</summary>
    public static readonly string[] Commands = ["run", "validate", "replay", "test", "explain", "record", "healthcheck", "schema", "help"];

    /// <summary>The tree; every command's action is <paramref name="action"/>, which reads the command from the parse result.</summary>
    public static RootCommand Create(Func<ParseResult, CancellationToken, Task<int>> action)
    {
        var root = new RootCommand("mqttrules: rule-driven automation and notifications for MQTT. With no command, runs 'run'.") { HelpName = "mqttrules" };
        root.Directives.Clear(); // no [suggest]/[diagram]: a first argument in brackets is an argument
        UseOwnHelpAndVersion(root);
        Add(root, RunFlags);
        root.SetAction(action);
        foreach (var command in new[] { Run(), Validate(), Replay(), Test(), Explain(), Record(), Healthcheck(), Schema() })
        {
            command.SetAction(action);
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(HelpCommand(root));
        return root;
    }

    private static readonly CliFlag[] RunFlags = [.. CliFlags.Common, CliFlags.Watch, CliFlags.Demo, CliFlags.Trace];

    private static Command Run()
    {
        var run = new Command("run", "Run the engine until SIGINT/SIGTERM, then stop cleanly (the default command).");
        Add(run, RunFlags);
        return run;
    }

    private static Command Validate()
    {
        var validate = new Command("validate", "Check all rule files: prints every problem as FILE:LINE:COL: message, then a summary (exit 0 valid, 1 invalid).");
        var path = Positional(validate, "PATH", "rule file or folder (the same as --rules PATH)");
        var rules = Add(validate, CliFlags.Rules, CliFlags.Input)[0];
        validate.Validators.Add(r =>
        {
            if (r.GetResult(path) is { Tokens.Count: > 0 } given && OptionLike(given) is null && r.GetResult(rules) is { Implicit: false })
            {
                r.AddError("give the rules as PATH or as --rules PATH, not both");
            }
        });
        return validate;
    }

    private static Command Replay()
    {
        var replay = new Command("replay", "Feed a recording through the rules on a virtual clock; executes nothing, prints every action as a JSON line.");
        Positional(replay, "FILE", "the recording, one JSON object per line");
        Add(replay, CliFlags.Rules, CliFlags.Start, CliFlags.Explain, CliFlags.TimeZone, CliFlags.LogLevel, CliFlags.LogFormat);
        return replay;
    }

    private static Command Explain()
    {
        var explain = new Command("explain", "Say, for every rule, whether a message matched its filter, what it read, each condition's result and what the state machine did or held back, and why.");
        Add(explain, CliFlags.Rules, CliFlags.Topic, CliFlags.Payload, CliFlags.Input, CliFlags.State, CliFlags.Start, CliFlags.Json, CliFlags.TimeZone, CliFlags.LogLevel, CliFlags.LogFormat);
        return explain;
    }

    private static Command Test()
    {
        var test = new Command("test", "Run rule tests (*.test.yaml files, sample folders) on the replay clock: a line per case, the differences of each failure, a summary (exit 0 all passed, 1 otherwise).");
        var paths = new Argument<string[]>("PATH") { Description = "test files or folders to search (default: the rules path)", Arity = ArgumentArity.ZeroOrMore };
        test.Arguments.Add(paths);
        test.Validators.Add(r =>
        {
            if (r.GetResult(paths)?.Tokens.FirstOrDefault(t => t.Value is ['-', _, ..]) is { } option)
            {
                r.AddError(UsageErrors.Describe(option.Value, test));
            }
        });
        Add(test, CliFlags.Rules, CliFlags.JUnit, CliFlags.TimeZone, CliFlags.LogLevel, CliFlags.LogFormat);
        return test;
    }

    private static Command Record()
    {
        var record = new Command("record", "Record live traffic in the replay format until SIGINT/SIGTERM (client id mqttrules-record-<hostname>, clean session).");
        Add(record, CliFlags.Out, CliFlags.Topic, CliFlags.Broker, CliFlags.ClientId, CliFlags.LogLevel, CliFlags.LogFormat);
        return record;
    }

    private static Command Healthcheck()
    {
        var healthcheck = new Command("healthcheck", "Exit 0 when the running engine's /healthz (at --http) is healthy; for container health checks.");
        Add(healthcheck, CliFlags.Http);
        return healthcheck;
    }

    private static Command Schema()
    {
        var schema = new Command("schema", "Print the JSON Schema of rule files (or, with --tests, of rule test files), for editors.");
        Add(schema, CliFlags.Tests);
        return schema;
    }

    /// <summary><c>mqttrules help [COMMAND]</c>: the same as <c>mqttrules [COMMAND] --help</c>.</summary>
    private static Command HelpCommand(RootCommand root)
    {
        var help = new Command("help", "Show help for a command.");
        var name = new Argument<string>("COMMAND") { Description = "the command", Arity = ArgumentArity.ZeroOrOne, HelpName = "COMMAND" };
        name.Validators.Add(r =>
        {
            if (r.Tokens is [{ Value: var value }] && !Commands.Contains(value))
            {
                r.AddError(UsageErrors.Describe(value, root));
            }
        });
        help.Arguments.Add(name);
        help.SetAction(r => root.Parse(r.GetValue(name) is { } command ? [command, "--help"] : ["--help"]).Invoke(r.InvocationConfiguration));
        return help;
    }

    /// <summary>
    /// An optional positional argument of <paramref name="command"/>. System.CommandLine would take
    /// an option the command does not know (<c>validate --demo</c>) as its value: that is an unknown option instead.
    /// </summary>
    private static Argument<string> Positional(Command command, string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description, Arity = ArgumentArity.ZeroOrOne };
        command.Arguments.Add(argument);
        command.Validators.Add(r =>
        {
            if (OptionLike(r.GetResult(argument)) is { } value)
            {
                r.AddError(UsageErrors.Describe(value, command));
            }
        });
        return argument;
    }

    private static string? OptionLike(ArgumentResult? result) => result?.Tokens is [{ Value: ['-', _, ..] value }] ? value : null;

    /// <summary>
    /// Adds the common options and <paramref name="used"/>; the common ones the command does not
    /// use are accepted but hidden from its help. Returns the options of <paramref name="used"/>.
    /// </summary>
    private static Option[] Add(Command command, params CliFlag[] used)
    {
        foreach (var flag in used.Union(CliFlags.Common))
        {
            command.Options.Add(CliOption(flag, hidden: !used.Contains(flag)));
        }

        return [.. command.Options.Where(o => used.Any(f => o.Name == "--" + f.Name))];
    }

    /// <summary>
    /// Values stay text (<see cref="CliOptions"/> reads and checks them, as for their variables); a
    /// flag given twice keeps every value (the last wins; <c>--topic</c> collects them).
    /// </summary>
    private static Option CliOption(CliFlag flag, bool hidden) => flag.IsBool
        ? new Option<bool>("--" + flag.Name) { Description = flag.Help, Hidden = hidden, Arity = ArgumentArity.ZeroOrMore, CustomParser = _ => true }
        : new Option<string[]>("--" + flag.Name) { Description = flag.Help, Hidden = hidden, HelpName = flag.Label, Arity = ArgumentArity.OneOrMore };

    /// <summary>POSIX spellings only (<c>/h</c> could be a path), help with examples, the version of this build.</summary>
    private static void UseOwnHelpAndVersion(RootCommand root)
    {
        foreach (var option in root.Options.Where(o => o is HelpOption).ToList())
        {
            root.Options.Remove(option);
        }

        var help = new HelpOption("--help", "-h");
        help.Action = new ExampleHelpAction((HelpAction)help.Action!);
        root.Options.Add(help);
        root.Options.OfType<VersionOption>().Single().Action = new PrintVersionAction();
    }
}
