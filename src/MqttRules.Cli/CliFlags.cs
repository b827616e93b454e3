namespace MqttRules.Cli;

/// <summary>One flag of the command line: its name without <c>--</c>, its variable (if any) and its help.</summary>
internal sealed record CliFlag(string Name, string? Env, string Label, string Description)
{
    /// <summary>A boolean: <c>--flag</c> or <c>--flag=false</c>, never <c>--flag false</c>.</summary>
    public bool IsBool => Label.Length == 0;

    /// <summary>The help text: the description, then the variable that sets it when the flag is absent.</summary>
    public string Help => Env is null ? Description : $"{Description} [env: {Env}]";
}

/// <summary>Every flag the commands know (SPEC §2), and which of them each command uses.</summary>
internal static class CliFlags
{
    public static readonly CliFlag Rules = new("rules", "MQTTRULES_RULES", "PATH", "rule file or folder, read recursively for *.yaml / *.yml (default: rules)");
    public static readonly CliFlag Broker = new("broker", "MQTTRULES_BROKER", "URL", "mqtt://[user:pass@]host[:1883], mqtts://host[:8883] or embedded (default: embedded)");
    public static readonly CliFlag ClientId = new("client-id", "MQTTRULES_CLIENT_ID", "ID", "MQTT client id (default: mqttrules-<hostname>)");
    public static readonly CliFlag State = new("state", "MQTTRULES_STATE", "PATH", "durable state: firing states, baselines, outbox (default: mqttrules-state.db)");
    public static readonly CliFlag DryRun = new("dry-run", "MQTTRULES_DRY_RUN", "", "log actions instead of executing them (--dry-run=false overrides the variable)");
    public static readonly CliFlag Http = new("http", "MQTTRULES_HTTP", "ADDR", "serve /healthz, /metrics and /api/rules on host:port or :port (default: off)");
    public static readonly CliFlag TimeZone = new("timezone", "MQTTRULES_TIMEZONE", "TZ", "default time zone of rules without timezone:, an IANA name (default: UTC)");
    public static readonly CliFlag LogLevel = new("log-level", "MQTTRULES_LOG_LEVEL", "LEVEL", "debug, info, warning or error (default: info; replay: warning)");
    public static readonly CliFlag LogFormat = new("log-format", "MQTTRULES_LOG_FORMAT", "FORMAT", "text, or json: one JSON object per line (default: text)");
    public static readonly CliFlag Watch = new("watch", "MQTTRULES_WATCH", "", "reload the rules when a file under the rules path changes (as SIGHUP does)");
    public static readonly CliFlag Demo = new("demo", "MQTTRULES_DEMO", "", "simulate a water meter on the embedded broker");
    public static readonly CliFlag Start = new("start", null, "TIME", "time of t = 0 for numeric times (default: 2026-01-01T00:00:00Z)");
    public static readonly CliFlag Out = new("out", null, "FILE", "where to write the recording, one JSON object per line");
    public static readonly CliFlag Topic = new("topic", null, "FILTER", "record: a topic filter to record, repeatable (default: #); explain: the message's topic");
    public static readonly CliFlag Input = new("input", null, "FILE", "a recording (replay format): validate checks the rules against it (filters matching no topic, fields never seen, numbers compared with text); explain explains its messages");
    public static readonly CliFlag Payload = new("payload", null, "TEXT", "the message's payload (JSON, a number or text)");
    public static readonly CliFlag Json = new("json", null, "", "one JSON object per line instead of text");
    public static readonly CliFlag Explain = new("explain", null, "", "also print every decision of every rule, as {\"explain\": ...} lines before the actions they cause");
    public static readonly CliFlag Trace = new("trace", "MQTTRULES_TRACE", "RULE", "log every decision of this rule at info; repeatable (variable: comma-separated ids)");
    public static readonly CliFlag JUnit = new("junit", null, "FILE", "also write the results as JUnit XML, for CI");
    public static readonly CliFlag Tests = new("tests", null, "", "the schema of rule test files (*.test.yaml) instead of rule files");

    /// <summary>The common options: every command accepts them; its help shows those it uses.</summary>
    public static readonly CliFlag[] Common = [Rules, Broker, ClientId, State, DryRun, Http, TimeZone, LogLevel, LogFormat];

    public static readonly IReadOnlyDictionary<string, CliFlag> All =
        Common.Concat([Watch, Demo, Trace, Start, Out, Topic, Input, Payload, Json, Explain, JUnit, Tests]).ToDictionary(f => f.Name, StringComparer.Ordinal);
}
