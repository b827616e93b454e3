using System.CommandLine;
using System.CommandLine.Parsing;
using MqttRules.Configuration;

namespace MqttRules.Cli;

/// <summary>A command line that parses but cannot be used (a bad value, a missing file): printed with a hint, exit code 1.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The parsed command line the commands read: the command, its flags (<c>--name value</c> or
/// <c>--name=value</c>; booleans are <c>--flag</c> or <c>--flag=false</c>) and arguments. Each flag
/// falls back to its environment variable. <see cref="CommandLine"/> defines the syntax.
/// </summary>
internal sealed class CliOptions
{
    private static readonly ParserConfiguration Syntax = new() { ResponseFileTokenReplacer = null };

    private readonly Dictionary<string, List<string>> flags = new(StringComparer.Ordinal);
    private readonly Func<string, string?> env;

    private CliOptions(Func<string, string?> env) => this.env = env;

    public string Command { get; private set; } = "run";

    /// <summary>The environment the options were read from, for settings that have no flag.</summary>
    public Func<string, string?> Env => env;
    public List<string> Arguments { get; } = [];

    /// <summary>Parses <paramref name="args"/>; a line that does not parse throws a <see cref="UsageException"/>.</summary>
    public static CliOptions Parse(string[] args, Func<string, string?>? env = null)
    {
        var result = ParseLine(CommandLine.Create((_, _) => Task.FromResult(0)), args);
        return UsageErrors.Any(result)
            ? throw new UsageException(string.Join("; ", result.Errors.Select(e => e.Message)))
            : From(result, env ?? Configuration.Secrets.Process);
    }

    /// <summary>
    /// The command line as System.CommandLine sees it. A boolean flag is spelled <c>--flag=true</c> or
    /// <c>--flag=false</c> first: a bare <c>--flag</c> is true (a following <c>false</c> is a stray
    /// argument, never its value), <c>--flag=</c> is false, and <c>yes</c>/<c>off</c>/<c>1</c>... are read
    /// as for the variables; another value is a <see cref="UsageException"/> naming the flag.
    /// </summary>
    internal static ParseResult ParseLine(RootCommand root, string[] args)
    {
        var end = Array.IndexOf(args, "--");
        return root.Parse([.. args.Select((a, i) => end < 0 || i < end ? SpellBoolean(a) : a)], Syntax);
    }

    private static string SpellBoolean(string arg)
    {
        var eq = arg.IndexOf('=');
        var name = eq < 0 ? arg : arg[..eq];
        if (!name.StartsWith("--", StringComparison.Ordinal) || !CliFlags.All.TryGetValue(name[2..], out var flag) || !flag.IsBool)
        {
            return arg;
        }

        var text = eq < 0 ? "true" : arg[(eq + 1)..];
        if (text.Trim().Length == 0)
        {
            return name + "=false";
        }

        return ConfigValues.TryParseBool(text, out var value)
            ? name + (value ? "=true" : "=false")
            : throw new UsageException($"{name}: must be {ConfigValues.BoolHint}, not '{text}'");
    }

    /// <summary>The options of a parsed line: flags of the root command first, so the command's own come last and win.</summary>
    internal static CliOptions From(ParseResult result, Func<string, string?> env)
    {
        var command = result.CommandResult;
        var o = new CliOptions(env) { Command = command.Command is RootCommand ? "run" : command.Command.Name };
        var chain = new List<CommandResult>();
        for (SymbolResult? r = command; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                chain.Insert(0, c);
            }
        }

        foreach (var child in chain.SelectMany(c => c.Children))
        {
            if (child is OptionResult { Implicit: false } option && CliFlags.All.ContainsKey(option.Option.Name[2..]))
            {
                o.Add(option.Option.Name[2..], option.Tokens.Count == 0 ? ["true"] : option.Tokens.Select(t => t.Value));
            }
            else if (child is ArgumentResult argument && o.Command == "validate")
            {
                o.Add("rules", argument.Tokens.Select(t => t.Value)); // validate PATH is --rules PATH
            }
            else if (child is ArgumentResult positional)
            {
                o.Arguments.AddRange(positional.Tokens.Select(t => t.Value));
            }
        }

        return o;
    }

    private void Add(string name, IEnumerable<string> values)
    {
        if (!flags.TryGetValue(name, out var list))
        {
            flags[name] = list = [];
        }

        list.AddRange(values);
    }

    /// <summary>The flag's value, else its environment variable, else the default.</summary>
    public string Get(string name, string fallback) => GetOrNull(name) ?? fallback;

    public string? GetOrNull(string name)
    {
        if (flags.TryGetValue(name, out var values))
        {
            return values[^1];
        }

        var fromEnv = CliFlags.All[name].Env is { } variable ? env(variable) : null;
        return string.IsNullOrEmpty(fromEnv) ? null : fromEnv;
    }

    public IReadOnlyList<string> GetAll(string name) => flags.TryGetValue(name, out var v) ? v : [];

    /// <summary>A boolean flag (or its variable); a bad value is an error naming the flag or the variable it came from.</summary>
    public bool GetBool(string name)
    {
        if (GetOrNull(name) is not { } text || text.Trim().Length == 0)
        {
            return false;
        }

        var what = Source(name);
        return ConfigValues.TryParseBool(text, out var value)
            ? value
            : throw new UsageException($"{what}: must be {ConfigValues.BoolHint}, not '{text}'");
    }

    /// <summary>Where a value came from, for error messages: <c>--name</c> when given as a flag, else its variable.</summary>
    public string Source(string name) => flags.ContainsKey(name) ? $"--{name}" : CliFlags.All[name].Env ?? $"--{name}";

    /// <summary>The default zone of rules (<c>--timezone</c>, an IANA name).</summary>
    public TimeZoneInfo TimeZone()
    {
        var name = Get("timezone", "UTC");
        return TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone)
            ? zone
            : throw new UsageException($"unknown time zone '{name}' (--timezone / MQTTRULES_TIMEZONE); use an IANA name such as Europe/London");
    }

    public string RulesPath => Get("rules", "rules");
}
