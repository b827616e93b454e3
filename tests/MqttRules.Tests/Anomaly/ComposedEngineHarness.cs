using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Actions.Log;
using MqttRules.Engine;
using MqttRules.Loading;
using MqttRules.Rules;
using MqttRules.State;

namespace MqttRules.Tests.Anomaly;

/// <summary>An engine composed as run and replay compose it (the anomaly, schedule and history functions wired), unlike the plain EngineHarness of MqttRules.TestSupport, on a fake clock, collecting actions.</summary>
internal sealed class ComposedEngineHarness
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero); // a Monday

    public ComposedEngineHarness(string yaml, IStateStore? store = null, DateTimeOffset? start = null, string zone = "UTC")
    {
        var loaded = RuleLoader.LoadText(yaml);
        Assert.Empty(loaded.Problems);
        Rules = loaded.Rules;
        Clock = new FakeTimeProvider(start ?? Start);
        var options = new EngineOptions
        {
            Clock = Clock,
            StateStore = store ?? NullStateStore.Instance,
            DefaultTimeZone = TimeZoneInfo.FindSystemTimeZoneById(zone),
        };
        Engine = new RuleEngine(Rules, Sink, MqttRules.Hosting.EngineComposition.ForRules(Rules, options));
        Engine.Start();
    }

    public RuleSet Rules { get; }
    public FakeTimeProvider Clock { get; }
    public RuleEngine Engine { get; }
    public ListActionSink Sink { get; } = new();
    public List<RenderedAction> Actions => Sink.Actions;

    /// <summary>Runs timers up to <paramref name="at"/>, then delivers one message at that time.</summary>
    public void Send(DateTimeOffset at, string topic, string payload)
    {
        AdvanceTo(at);
        Engine.Process(topic, System.Text.Encoding.UTF8.GetBytes(payload));
    }

    public void AdvanceTo(DateTimeOffset at)
    {
        Engine.AdvanceTo(at);
        Clock.SetUtcNow(at);
    }

    /// <summary>"event rule series message" per action, for compact assertions.</summary>
    public IEnumerable<string> Events => Actions.Select(a => $"{RenderedAction.EventName(a.Event)} {a.Series} {(a as LogAction)?.Message}".TrimEnd());
}

/// <summary>A state store in memory, to restart an engine in a test.</summary>
internal sealed class MemoryStateStore : IStateStore
{
    private readonly Dictionary<(string, string), SeriesSnapshot> rows = [];

    public IReadOnlyList<SeriesSnapshot> LoadSeries() => rows.Values.ToList();

    public void SaveSeries(IReadOnlyCollection<SeriesSnapshot> snapshots)
    {
        foreach (var s in snapshots)
        {
            rows[(s.RuleId, s.Series)] = s;
        }
    }
}
