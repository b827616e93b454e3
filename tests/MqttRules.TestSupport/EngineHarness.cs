using System.Text;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Actions.Log;
using MqttRules.Actions.Publish;
using MqttRules.Actions.Tweet;
using MqttRules.Engine;

namespace MqttRules.TestSupport;

/// <summary>An engine on a <see cref="FakeTimeProvider"/> that starts at 2026-01-01T00:00:00Z and collects actions.</summary>
internal sealed class EngineHarness
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ListActionSink sink = new();

    public EngineHarness(string yaml, TimeZoneInfo? zone = null, DateTimeOffset? start = null, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        Clock = new FakeTimeProvider(start ?? Start);
        Engine = new RuleEngine(Yaml.Rules(yaml), sink, new EngineOptions
        {
            Clock = Clock,
            DefaultTimeZone = zone ?? TimeZoneInfo.Utc,
            Logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
        });
        Engine.Start();
    }

    public FakeTimeProvider Clock { get; }
    public RuleEngine Engine { get; }
    public IReadOnlyList<RenderedAction> Actions => sink.Actions;

    /// <summary>Sends a message at the current time.</summary>
    public EngineHarness Send(string topic, string payload) => Send(topic, Encoding.UTF8.GetBytes(payload));

    public EngineHarness Send(string topic, byte[] payload)
    {
        Engine.Process(topic, payload);
        return this;
    }

    /// <summary>Moves the clock on and runs every timer due by then.</summary>
    public EngineHarness Advance(TimeSpan by)
    {
        Clock.Advance(by);
        Engine.AdvanceTo(Clock.GetUtcNow());
        return this;
    }

    public EngineHarness At(TimeSpan sinceStart)
    {
        var target = Start + sinceStart;
        if (target > Clock.GetUtcNow())
        {
            Advance(target - Clock.GetUtcNow());
        }

        return this;
    }

    /// <summary>Each action as "EVENT@mm:ss text", with text the log message, the publish payload or the message.</summary>
    public IReadOnlyList<string> Timeline() => Actions.Select(Describe).ToList();

    public static string Describe(RenderedAction a)
    {
        var offset = a.Time - Start;
        var text = a switch
        {
            PublishAction p => $"{p.Topic}={p.PayloadText}",
            TweetAction t => t.Text,
            LogAction l => l.Message,
            _ => a.NotifyMessage,
        };
        return $"{RenderedAction.EventName(a.Event)}@{(int)offset.TotalMinutes:00}:{offset.Seconds:00} {text}";
    }
}
