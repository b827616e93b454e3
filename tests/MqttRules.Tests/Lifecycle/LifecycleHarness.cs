using System.Text;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.Lifecycle;
using MqttRules.Rules;
using MqttRules.Storage;

namespace MqttRules.Tests.Lifecycle;

/// <summary>
/// An engine with MQTT lifecycle commands under <c>mqttrules/</c>, on a <see cref="FakeTimeProvider"/>,
/// optionally on a real state file (so that a test can stop it and start another on the same file).
/// </summary>
internal sealed class LifecycleHarness : IDisposable
{
    private readonly ListActionSink sink = new();
    private readonly StateDatabase? db;

    public LifecycleHarness(string yaml, string? statePath = null, FakeTimeProvider? clock = null)
        : this(Yaml.Rules(yaml), statePath, clock)
    {
    }

    public LifecycleHarness(RuleSet rules, string? statePath = null, FakeTimeProvider? clock = null)
    {
        Clock = clock ?? new FakeTimeProvider(EngineHarness.Start);
        db = statePath is null ? null : StateDatabase.Open(statePath);
        Engine = new RuleEngine(rules, sink, new EngineOptions
        {
            Clock = Clock,
            Metrics = Metrics,
            StateStore = db is null ? State.NullStateStore.Instance : new SqliteStateStore(db),
            LifecycleStore = db is null ? NullLifecycleStore.Instance : new SqliteLifecycleStore(db),
            CommandPrefix = "mqttrules",
            EnabledChanged = (id, on) => Published.Add($"{id}={(on is null ? "" : on.Value ? "ON" : "OFF")}"),
            FlapChanged = Flaps.Add,
        });
        Engine.Start();
    }

    public FakeTimeProvider Clock { get; }
    public RuleEngine Engine { get; }
    public MqttRules.Diagnostics.EngineMetrics Metrics { get; } = new();
    public List<string> Published { get; } = [];
    public List<FlapChange> Flaps { get; } = [];
    public IReadOnlyList<RenderedAction> Actions => sink.Actions;

    public LifecycleHarness Send(string topic, string payload)
    {
        Engine.Process(topic, Encoding.UTF8.GetBytes(payload));
        return this;
    }

    public LifecycleHarness At(TimeSpan sinceStart)
    {
        var target = EngineHarness.Start + sinceStart;
        if (target > Clock.GetUtcNow())
        {
            Clock.Advance(target - Clock.GetUtcNow());
            Engine.AdvanceTo(Clock.GetUtcNow());
        }

        return this;
    }

    public CommandResult Run(CommandKind kind, string name, string payload = "") => Engine.Execute(new LifecycleCommand(kind, name, payload));

    /// <summary>Each action as "EVENT@mm:ss kind text".</summary>
    public IReadOnlyList<string> Timeline() => Actions.Select(a =>
    {
        var d = EngineHarness.Describe(a);
        var space = d.IndexOf(' ', StringComparison.Ordinal);
        return $"{d[..space]} {a.KindText}{d[space..]}";
    }).ToList();

    public RuleStatus Status(string ruleId) => Engine.Status().Single(r => r.RuleId == ruleId);

    /// <summary>Saves the state as a stop does and closes the file.</summary>
    public void Dispose()
    {
        Engine.FlushState(final: true);
        db?.Dispose();
    }
}
