using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using MqttRules.Diagnostics;

namespace MqttRules.Cli;

/// <summary>System.CommandLine's help of a command, followed by its examples (and, for run, the settings that have no flag).</summary>
internal sealed class ExampleHelpAction(HelpAction standard) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        standard.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        var command = parseResult.CommandResult.Command;
        var name = command is RootCommand ? "" : command.Name;
        if (Examples.TryGetValue(name, out var examples))
        {
            output.WriteLine("Examples:");
            foreach (var example in examples)
            {
                output.WriteLine("  " + example);
            }

            output.WriteLine();
        }

        if (name is "" or "run")
        {
            output.WriteLine(Environment);
        }

        return 0;
    }

    private static readonly Dictionary<string, string[]> Examples = new(StringComparer.Ordinal)
    {
        [""] = ["mqttrules run --demo", "mqttrules validate rules/", "mqttrules replay input.jsonl --rules rules/", "mqttrules run --help"],
        ["run"] =
        [
            "mqttrules run --demo                      # embedded broker, simulated water meter",
            "mqttrules run --rules rules/ --broker mqtt://user:pass@broker.lan --http :9100",
            "MQTTRULES_BROKER=mqtts://broker.lan mqttrules run --dry-run",
        ],
        ["validate"] = ["mqttrules validate rules/", "mqttrules validate --rules rules/water.yaml", "mqttrules validate rules/ --input yesterday.jsonl   # a recording from 'mqttrules record'"],
        ["replay"] =
        [
            "mqttrules replay input.jsonl --rules rules/",
            "mqttrules replay day.jsonl --rules rules.yaml --start 2026-03-01T00:00:00Z --timezone Europe/London",
            "mqttrules replay input.jsonl --rules rules/ --explain   # and every decision, as {\"explain\": ...} lines",
        ],
        ["explain"] =
        [
            "mqttrules explain --rules rules/ --topic home/kitchen/temp --payload '{\"t\": 31}'",
            "mqttrules explain --rules rules/ --input day.jsonl --json",
            "mqttrules explain --rules rules/ --state /data/mqttrules-state.db --topic meter/lpm --payload 12",
        ],
        ["record"] = ["mqttrules record --out traffic.jsonl --topic 'home/#'", "mqttrules record --out all.jsonl --broker mqtt://broker.lan"],
        ["healthcheck"] = ["mqttrules healthcheck --http :9100"],
        ["test"] = ["mqttrules test                             # the *.test.yaml files under rules/", "mqttrules test rules/ samples/ --junit results.xml"],
        ["schema"] = ["mqttrules schema > rules.schema.json", "mqttrules schema --tests > tests.schema.json"],
        ["help"] = ["mqttrules help replay"],
    };

    private const string Environment = """
        Settings without a flag (environment):
          broker: MQTTRULES_PROTOCOL, MQTTRULES_SESSION_EXPIRY, MQTTRULES_SUBSCRIBE_QOS,
            MQTTRULES_USERNAME / MQTTRULES_PASSWORD (+ _FILE), MQTTRULES_CA_FILE, MQTTRULES_CERT_FILE,
            MQTTRULES_KEY_FILE, MQTTRULES_TLS_INSECURE
          embedded broker: MQTTRULES_EMBEDDED_LISTEN, MQTTRULES_EMBEDDED_USERNAME / MQTTRULES_EMBEDDED_PASSWORD,
            MQTTRULES_EMBEDDED_ANONYMOUS
          engine: MQTTRULES_MAX_SERIES (series kept per rule, default 10000)
          actions: X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET, SMTP_URL, SMTP_FROM,
            MQTTRULES_TWEET_BUDGET (see docs/live-engine.md and docs/notifications.md)

        """;
}

/// <summary><c>mqttrules --version</c>: the informational version of this build, as the start-up line and <c>mqttrules_build_info</c> show it.</summary>
internal sealed class PrintVersionAction : SynchronousCommandLineAction
{

    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(BuildInfo.Version);
        return 0;
    }
}
