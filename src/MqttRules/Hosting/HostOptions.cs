using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MqttRules.Configuration;
using MqttRules.Diagnostics;
using MqttRules.Engine;
using MqttRules.Mqtt;
using MqttRules.Outbox;

namespace MqttRules.Hosting;

/// <summary>
/// Everything <see cref="EngineHost"/> runs with. Every option has a default that works (the
/// embedded broker, nothing durable, no HTTP), so a test or an embedding program sets only what it
/// needs; ranges are stated next to the options and checked by <see cref="Validate"/> when the host is built.
/// </summary>
public sealed record HostOptions
{
    /// <summary>The broker connection (<c>--broker</c> and the <c>MQTTRULES_*</c> variables); null: the embedded broker as configured by <see cref="Environment"/>.</summary>
    public MqttSettings? Broker { get; init; }

    /// <summary>The durable state file (<c>--state</c>): rule state, outbox, publish journal; null: nothing is durable and external actions are logged as not sent.</summary>
    public string? StatePath { get; init; }

    /// <summary><c>--dry-run</c>: actions are logged, not executed; nothing durable is read or written.</summary>
    public bool DryRun { get; init; }

    /// <summary><c>--demo</c>: a simulated water meter publishes to the embedded broker.</summary>
    public bool Demo { get; init; }

    /// <summary><c>--http</c>: where <c>/healthz</c> and <c>/metrics</c> listen; null: off.</summary>
    public HostPort? Http { get; init; }

    /// <summary>Where the rules were loaded from (<c>--rules</c>), read again on a reload (SIGHUP, <c>POST /-/reload</c>, <c>--watch</c>); null: no reload.</summary>
    public string? RulesPath { get; init; }

    /// <summary><c>--watch</c>: reload the rules when a file under <see cref="RulesPath"/> changes (debounced by <see cref="WatchDebounce"/>).</summary>
    public bool Watch { get; init; }

    public TimeSpan WatchDebounce { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Engine events and Home Assistant discovery (<c>MQTTRULES_EVENTS</c>, <c>MQTTRULES_HA_DISCOVERY*</c>); null: read from <see cref="Environment"/> when the host is built.</summary>
    public Presence.PresenceSettings? Presence { get; init; }

    /// <summary>The bearer token of the endpoints that change something (<c>MQTTRULES_HTTP_TOKEN</c> or <c>_FILE</c>); null: those endpoints are off.</summary>
    public HttpToken? HttpToken { get; init; }

    /// <summary><c>--trace</c>: ids of the rules whose every decision is logged at info.</summary>
    public IReadOnlyList<string> Trace { get; init; } = [];

    /// <summary>The zone of rules without <c>timezone:</c> (<c>--timezone</c>).</summary>
    public TimeZoneInfo DefaultTimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>Series kept per rule (<c>MQTTRULES_MAX_SERIES</c>, <see cref="SeriesLimitSetting.Range"/>).</summary>
    public int MaxSeriesPerRule { get; init; } = SeriesLimitSetting.Default;

    /// <summary>How the outbox retries; <c>MQTTRULES_TWEET_BUDGET</c> is applied on top when the host is built.</summary>
    public DeliveryOptions Delivery { get; init; } = new();

    /// <summary>On stop, how long publishes already rendered may take to reach the broker before they are kept for the next start.</summary>
    public TimeSpan PublishDrainTimeout { get; init; } = TimeSpan.FromSeconds(3);
    public static readonly DurationRange PublishDrainTimeoutRange = DurationRange.UpTo(TimeSpan.FromSeconds(5));

    public TimeProvider Clock { get; init; } = TimeProvider.System;
    public ILoggerFactory Loggers { get; init; } = NullLoggerFactory.Instance;
    public EngineMetrics Metrics { get; init; } = new();

    /// <summary>Where settings and secrets are read (<c>MQTTRULES_*</c>, <c>X_*</c>, <c>SMTP_*</c>, <c>NAME_FILE</c>); default: the process environment.</summary>
    public Func<string, string?> Environment { get; init; } = Secrets.Process;

    /// <summary>The HTTP handler of webhook and X calls; null: a pooled <see cref="SocketsHttpHandler"/>.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>True when the state file is used: a state path is set and this is not a dry run.</summary>
    public bool Durable => StatePath is not null && !DryRun;

    /// <summary>Checks each option against its stated range; throws a <see cref="ConfigException"/> naming the first one outside it.</summary>
    public void Validate()
    {
        new EngineOptions { MaxSeriesPerRule = MaxSeriesPerRule }.Validate();
        PublishDrainTimeoutRange.Check(PublishDrainTimeout, nameof(PublishDrainTimeout));
        Broker?.Validate();
        Presence?.Validate();
        Delivery.Validate();
        if (Demo && Broker is { Broker.IsEmbedded: false })
        {
            throw ConfigException.For("--demo", "simulates a meter on the embedded broker; use it with --broker embedded");
        }
    }
}
