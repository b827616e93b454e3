using MqttRules.Configuration;

namespace MqttRules.Cli;

/// <summary>A command-line usage error: printed with a hint, exit code 1 (SPEC §2).</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The command line: a command, then flags (<c>--name value</c> or <c>--name=value</c>; booleans
/// are <c>--flag</c> or <c>--flag=false</c>). Each common flag falls back to its environment variable.
/// </summary>
public sealed class CliOptions
{
    public static readonly string[] Commands = ["run", "validate", "replay", "record", "healthcheck", "schema", "test", "help"];

    private static readonly Dictionary<string, (string Env, bool IsBool)> Known = new(StringComparer.Ordinal)
    {
        ["rules"] = ("MQTTRULES_RULES", false),
        ["broker"] = ("MQTTRULES_BROKER", false),
        ["client-id"] = ("MQTTRULES_CLIENT_ID", false),
        ["state"] = ("MQTTRULES_STATE", false),
        ["dry-run"] = ("MQTTRULES_DRY_RUN", true),
        ["http"] = ("MQTTRULES_HTTP", false),
        ["timezone"] = ("MQTTRULES_TIMEZONE", false),
        ["start"] = ("", false),
        ["out"] = ("", false),
        ["junit"] = ("", false),
        ["tests"] = ("", true),
        ["topic"] = ("", false),
        ["demo"] = ("MQTTRULES_DEMO", true),
        ["log-level"] = ("MQTTRULES_LOG_LEVEL", false),
        ["log-format"] = ("MQTTRULES_LOG_FORMAT", false),
        ["help"] = ("", true),
    };

    private readonly Dictionary<string, List<string>> flags = new(StringComparer.Ordinal);
    private readonly Func<string, string?> env;

    private CliOptions(Func<string, string?> env) => this.env = env;

    public string Command { get; private set; } = "run";

    /// <summary>The environment the options were read from, for settings that have no flag.</summary>
    public Func<string, string?> Env => env;
    public List<string> Arguments { get; } = [];

    public static CliOptions Parse(string[] args, Func<string, string?>? env = null)
    {
        var o = new CliOptions(env ?? Environment.GetEnvironmentVariable);
        var i = 0;
        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            if (!Commands.Contains(args[0]))
            {
                throw new UsageException($"unknown command '{args[0]}'; commands: {string.Join(", ", Commands)}");
            }

            o.Command = args[0];
            i = 1;
        }

        for (; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                o.Arguments.Add(arg);
                continue;
            }

            var eq = arg.IndexOf('=');
            var name = eq < 0 ? arg[2..] : arg[2..eq];
            if (!Known.TryGetValue(name, out var spec))
            {
                throw new UsageException($"unknown option '--{name}'; run 'mqttrules help' for the list");
            }

            string value;
            if (eq >= 0)
            {
                value = arg[(eq + 1)..];
            }
            else if (spec.IsBool)
            {
                value = "true";
            }
            else if (i + 1 < args.Length)
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException($"option '--{name}' needs a value");
            }

            if (!o.flags.TryGetValue(name, out var list))
            {
                o.flags[name] = list = [];
            }

            list.Add(value);
        }

        if (o.flags.ContainsKey("help"))
        {
            o.Command = "help";
        }

        return o;
    }

    /// <summary>The flag's value, else its environment variable, else the default.</summary>
    public string Get(string name, string fallback) => GetOrNull(name) ?? fallback;

    public string? GetOrNull(string name)
    {
        if (flags.TryGetValue(name, out var values))
        {
            return values[^1];
        }

        var variable = Known[name].Env;
        var fromEnv = variable.Length == 0 ? null : env(variable);
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
    public string Source(string name) => flags.ContainsKey(name) ? $"--{name}" : Known[name].Env;

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
