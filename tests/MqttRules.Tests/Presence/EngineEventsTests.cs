using System.Text;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.TestSupport;

namespace MqttRules.Tests.Presence;

/// <summary>Issue 15.2: the engine reports each fire and resolve, and each rule's firing state, to its <see cref="IEngineEvents"/>.</summary>
public sealed class EngineEventsTests
{
    private const string Hot = """
        rules:
          - id: hot
            topic: rooms/{room}/temp
            when: value > 25
            actions: [ { log: "hot {{room}}" } ]
            on_resolve: [ { log: "cool {{room}}" } ]
          - id: quiet
            topic: other/topic
            each_message: true
            actions: [ { log: "x" } ]
        """;

    private sealed class Recorder : IEngineEvents
    {
        public List<EngineEvent> Events { get; } = [];
        public List<string> Firing { get; } = [];
        public bool Throw { get; set; }

        public void Publish(EngineEvent engineEvent)
        {
            Events.Add(engineEvent);
            if (Throw)
            {
                throw new InvalidOperationException("listener broke");
            }
        }

        public void FiringChanged(string ruleId, bool firing) => Firing.Add($"{ruleId}={(firing ? "ON" : "OFF")}");
    }

    private sealed class Run
    {
        public Run(string yaml, Recorder? events = null)
        {
            Events = events ?? new Recorder();
            Engine = new RuleEngine(Yaml.Rules(yaml), Sink, new EngineOptions { Clock = Clock, Events = Events });
            Engine.Start();
        }

        public FakeTimeProvider Clock { get; } = new(EngineHarness.Start);
        public ListActionSink Sink { get; } = new();
        public Recorder Events { get; }
        public RuleEngine Engine { get; }

        public Run Send(string topic, string payload)
        {
            Engine.Process(topic, Encoding.UTF8.GetBytes(payload));
            return this;
        }
    }

    [Fact]
    public void UnconfirmedCommand_OneEvent_NamingTheTopicsAndAttempts()
    {
        var run = new Run("""
            rules:
              - id: valve
                topic: home/{meter}/water
                when: value > 30
                actions:
                  - publish: { topic: "valves/{{meter}}/set", payload: CLOSE, confirm: { topic: "valves/{{meter}}/state", when: "payload == 'CLOSED'", within: 10s, retries: 1 } }
                on_unconfirmed: [ { log: "valve {{meter}} did not close" } ]
            """);
        run.Send("home/main/water", "45");
        for (var i = 0; i < 3; i++)
        {
            run.Clock.Advance(TimeSpan.FromSeconds(10));
            run.Engine.AdvanceTo(run.Clock.GetUtcNow());
        }

        var e = Assert.Single(run.Events.Events, e => e.Event == "unconfirmed");
        Assert.Equal(("valve", "home/main/water", EngineHarness.Start.AddSeconds(20)), (e.RuleId, e.Series, e.Time));
        Assert.Equal([new KeyValuePair<string, string?>("meter", "main")], e.Captures);
        Assert.Equal(["command_topic=valves/main/set", "confirm_topic=valves/main/state", "attempts=2"],
            e.Details.Select(d => $"{d.Key}={(d.Value.Kind == MqttRules.Values.ValueKind.Number ? d.Value.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.Value.Text)}"));
    }

    [Fact]
    public void Start_SaysEveryRulesFiringState()
    {
        var run = new Run(Hot);

        Assert.Equal(["hot=OFF", "quiet=OFF"], run.Events.Firing);
        Assert.Empty(run.Events.Events);
    }

    [Fact]
    public void FireAndResolve_OneEventEach_WithValueSeriesTimeAndCaptures()
    {
        var run = new Run(Hot);
        run.Send("rooms/kitchen/temp", "30");
        run.Clock.Advance(TimeSpan.FromSeconds(90));
        run.Engine.AdvanceTo(run.Clock.GetUtcNow());
        run.Send("rooms/kitchen/temp", "20");

        var fire = Assert.Single(run.Events.Events, e => e.Event == "fire");
        Assert.Equal(("hot", "rooms/kitchen/temp", EngineHarness.Start, 30.0), (fire.RuleId, fire.Series, fire.Time, fire.Value.Number));
        Assert.Equal([new KeyValuePair<string, string?>("room", "kitchen")], fire.Captures);
        var resolve = Assert.Single(run.Events.Events, e => e.Event == "resolve");
        Assert.Equal((EngineHarness.Start.AddSeconds(90), 20.0, 90.0), (resolve.Time, resolve.Value.Number, resolve.Duration));
        Assert.Equal(2, run.Events.Events.Count);
    }

    [Fact]
    public void Firing_OnWithTheFirstSeries_OffOnlyWhenTheLastResolves()
    {
        var run = new Run(Hot);
        run.Events.Firing.Clear();

        run.Send("rooms/a/temp", "30").Send("rooms/b/temp", "31").Send("rooms/a/temp", "20");
        Assert.Equal(["hot=ON"], run.Events.Firing);

        run.Send("rooms/b/temp", "10");
        Assert.Equal(["hot=ON", "hot=OFF"], run.Events.Firing);
    }

    [Fact]
    public void ListenerThatThrows_LosesOnlyItsEvent_TheActionsStillRun()
    {
        var run = new Run(Hot, new Recorder { Throw = true });

        run.Send("rooms/a/temp", "30").Send("rooms/a/temp", "20");

        Assert.Equal(["hot a", "cool a"], run.Sink.Actions.Select(a => ((MqttRules.Actions.Log.LogAction)a).Message));
        Assert.Equal(2, run.Events.Events.Count);
    }

    [Fact]
    public void Reload_SaysTheStateOfTheNewRules_AChangedRuleStartsOff()
    {
        var run = new Run(Hot);
        run.Send("rooms/a/temp", "30");
        run.Events.Firing.Clear();

        run.Engine.Reload(Yaml.Rules(Hot.Replace("value > 25", "value > 26", StringComparison.Ordinal)));

        Assert.Equal(["hot=OFF", "quiet=OFF"], run.Events.Firing);
    }

    [Fact]
    public void Reload_UnchangedFiringRule_StaysOn()
    {
        var run = new Run(Hot);
        run.Send("rooms/a/temp", "30");
        run.Events.Firing.Clear();

        run.Engine.Reload(Yaml.Rules(Hot));

        Assert.Equal(["hot=ON", "quiet=OFF"], run.Events.Firing);
    }

    [Fact]
    public void WithoutListener_TheSameActions()
    {
        var with = new Run(Hot);
        var without = new EngineHarness(Hot);
        with.Send("rooms/a/temp", "30").Send("rooms/a/temp", "20");
        without.Send("rooms/a/temp", "30").Send("rooms/a/temp", "20");

        Assert.Equal(without.Timeline(), with.Sink.Actions.Select(EngineHarness.Describe));
    }
}
