namespace MqttRules.Cli;

public static class Help
{
    public static int Print(TextWriter w)
    {
        w.WriteLine("""
            mqttrules — rule-driven automation and notifications for MQTT

            Commands:
              run                      run the engine until SIGINT/SIGTERM (default)
              validate                 check all rule files; prints FILE:LINE:COL: message per problem
              replay FILE.jsonl        feed a recording through the rules on a virtual clock; prints actions
              record --out FILE.jsonl  record live traffic in the replay format [--topic FILTER]...
              healthcheck              exit 0 when the running engine's /healthz (at --http) is healthy
              schema                   print the JSON Schema of rule files (for editors: mqttrules schema > rules.schema.json)

            Options (each also an environment variable; the flag wins):
              --rules PATH       MQTTRULES_RULES      rule file or folder (default: rules)
              --broker URL       MQTTRULES_BROKER     mqtt://[user:pass@]host[:1883], mqtts://..., or embedded (default)
              --client-id ID     MQTTRULES_CLIENT_ID  default mqttrules-<hostname>
              --state PATH       MQTTRULES_STATE      durable state (default mqttrules-state.db)
              --dry-run          MQTTRULES_DRY_RUN    log actions instead of executing them
              --http ADDR        MQTTRULES_HTTP       serve /healthz and /metrics on host:port or :port
              --timezone TZ      MQTTRULES_TIMEZONE   default zone of rules (default UTC)
              --log-level LEVEL  MQTTRULES_LOG_LEVEL  debug, info (default), warning or error
              --log-format FMT   MQTTRULES_LOG_FORMAT text (default) or json: one JSON object per line
              --start TIME       (replay) time of t = 0 for numeric times (default 2026-01-01T00:00:00Z)
              --demo             MQTTRULES_DEMO       (run) simulate a water meter on the embedded broker
              --out FILE         (record) where to write; --topic FILTER (repeatable, default #)

            Broker settings (environment): MQTTRULES_PROTOCOL, MQTTRULES_SESSION_EXPIRY, MQTTRULES_SUBSCRIBE_QOS,
            MQTTRULES_USERNAME / MQTTRULES_PASSWORD (+ _FILE), MQTTRULES_CA_FILE, MQTTRULES_CERT_FILE,
            MQTTRULES_KEY_FILE, MQTTRULES_TLS_INSECURE, MQTTRULES_EMBEDDED_LISTEN,
            MQTTRULES_EMBEDDED_USERNAME / MQTTRULES_EMBEDDED_PASSWORD (see docs/live-engine.md)
            Engine (environment): MQTTRULES_MAX_SERIES   series kept per rule (default 10000)
            """);
        return 0;
    }
}
