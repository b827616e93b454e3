using MqttRules.Loading;
using MqttRules.Tests.Anomaly;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Engine;

/// <summary>Hot reload: what each rule keeps when the rules are swapped between two messages.</summary>
public class ReloadTests
{
    private const string Hot = """
        rules:
          - id: hot
            topic: room/temp
            when: value > 25
            for: 5m
            cooldown: 10m
            actions: [ { log: "hot {{value}} for {{duration}}s" } ]
            on_resolve: [ { log: "cool {{value}}" } ]
        """;

    /// <summary>The same rule written differently (flow style, other order, a comment) plus a new rule.</summary>
    private const string HotRewrittenPlusOne = """
        rules:
          # reformatted, same definition
          - { id: hot, topic: room/temp, for: 5m, when: value > 25, cooldown: 10m,
              actions: [ { log: "hot {{value}} for {{duration}}s" } ], on_resolve: [ { log: "cool {{value}}" } ] }
          - id: cold
            topic: room/temp
            when: value < 5
            actions: [ { log: "cold" } ]
        """;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void Reload_UnchangedRule_KeepsPendingForStartToTheTick()
    {
        var h = new EngineHarness(Hot);
        h.Send("room/temp", "26").At(2 * Minute);

        var summary = h.Engine.Reload(Yaml.Rules(HotRewrittenPlusOne));

        Assert.Equal("2 rules (1 added, 0 removed, 0 changed, 1 unchanged)", summary.ToString());
        h.At(5 * Minute - TimeSpan.FromSeconds(1));
        Assert.Empty(h.Timeline());
        h.At(5 * Minute);
        Assert.Equal(["fire@05:00 hot 26 for 300s"], h.Timeline());
    }

    [Fact]
    public void Reload_UnchangedRule_KeepsCooldownToTheTick()
    {
        var h = new EngineHarness(Hot.Replace("for: 5m", "for: 0s", StringComparison.Ordinal));
        h.Send("room/temp", "26").At(Minute).Send("room/temp", "20").At(2 * Minute).Send("room/temp", "27").At(3 * Minute);

        h.Engine.Reload(Yaml.Rules(Hot.Replace("for: 5m", "for: 0s", StringComparison.Ordinal)));
        h.At(10 * Minute - TimeSpan.FromSeconds(1));
        Assert.Equal(["fire@00:00 hot 26 for 0s", "resolve@01:00 cool 20"], h.Timeline());

        h.At(10 * Minute);
        Assert.Equal(["fire@00:00 hot 26 for 0s", "resolve@01:00 cool 20", "fire@10:00 hot 27 for 480s"], h.Timeline());
    }

    [Fact]
    public void Reload_ChangedCondition_StartsAfresh()
    {
        var h = new EngineHarness(Hot);
        h.Send("room/temp", "26").At(2 * Minute);

        var summary = h.Engine.Reload(Yaml.Rules(Hot.Replace("value > 25", "value > 24", StringComparison.Ordinal)));

        Assert.Equal("1 rules (0 added, 0 removed, 1 changed, 0 unchanged)", summary.ToString());
        h.At(30 * Minute);
        Assert.Empty(h.Timeline());
        h.Send("room/temp", "26").At(35 * Minute);
        Assert.Equal(["fire@35:00 hot 26 for 300s"], h.Timeline());
    }

    /// <summary>Issue 12: a series takes its topic captures once, not per message; a reload that moves them takes them again.</summary>
    [Fact]
    public void Reload_CapturesMoved_LaterMessagesOfTheSameSeriesRenderTheNewOnes()
    {
        const string ByRoom = """
            rules:
              - id: temp
                topic: "{house}/{room}/temp"
                when: value > 25
                actions: [ { log: "{{house}} {{room}} {{value}}" } ]
            """;
        var h = new EngineHarness(ByRoom);
        h.Send("home/attic/temp", "26").At(Minute).Send("home/attic/temp", "20").At(2 * Minute).Send("home/attic/temp", "27");

        h.Engine.Reload(Yaml.Rules(ByRoom.Replace("{house}/{room}/temp", "{room}/{house}/temp", StringComparison.Ordinal)));
        h.At(3 * Minute).Send("home/attic/temp", "20").At(4 * Minute).Send("home/attic/temp", "28");

        Assert.Equal(["fire@00:00 home attic 26", "fire@02:00 home attic 27", "fire@04:00 attic home 28"], h.Timeline());
    }

    [Fact]
    public void Reload_RemovedRule_ItsTimerNeverFires()
    {
        var h = new EngineHarness(HotRewrittenPlusOne);
        h.Send("room/temp", "26").At(Minute);

        var summary = h.Engine.Reload(Yaml.Rules(HotRewrittenPlusOne.Replace("id: hot", "id: warm", StringComparison.Ordinal)));

        Assert.Equal("2 rules (1 added, 1 removed, 0 changed, 1 unchanged)", summary.ToString());
        h.At(30 * Minute);
        Assert.Empty(h.Timeline());
    }

    [Fact]
    public void Reload_NewTopic_SubscriptionsFollow()
    {
        var h = new EngineHarness(Hot);

        h.Engine.Reload(Yaml.Rules(Hot.Replace("room/temp", "room/+/temp", StringComparison.Ordinal)));

        Assert.Equal(["room/+/temp"], h.Engine.Subscriptions);
    }

    private static string Flow(string threshold, string value = "lpm", string log = "leak", string when = "value > 1") => $$"""
        rules:
          - id: flow
            topic: home/water
            value: {{value}}
            when: {{when}}
            anomaly: { method: zscore, window: 1d, threshold: {{threshold}}, min_samples: 5 }
            actions: [ { log: "{{log}}" } ]
        """;

    [Fact]
    public void Reload_ChangedWhenThresholdSameValueTopicAnomaly_KeepsBaseline()
    {
        var h = Learned(Flow("3"));

        h.Engine.Reload(RuleLoader.LoadText(Flow("3", log: "leak!", when: "value > 2")).Rules);
        Send(h, 10, 100);

        Assert.Equal(["fire home/water leak!"], h.Events);
    }

    [Theory]
    [InlineData("3", "flow")]
    [InlineData("3.5", "lpm")]
    public void Reload_ChangedValuePathOrAnomalySettings_BaselineStartsAfresh(string threshold, string value)
    {
        var h = Learned(Flow("3"));

        h.Engine.Reload(RuleLoader.LoadText(Flow(threshold, value: value)).Rules);
        Send(h, 10, 100);

        Assert.Empty(h.Events);
    }

    /// <summary>Eight normal readings (about 10 L/min): the baseline is ready.</summary>
    private static ComposedEngineHarness Learned(string yaml)
    {
        var h = new ComposedEngineHarness(yaml);
        for (var i = 0; i < 8; i++)
        {
            Send(h, i, 10 + (i % 3));
        }

        Assert.Empty(h.Events);
        return h;
    }

    private static void Send(ComposedEngineHarness h, int minute, double lpm) =>
        h.Send(ComposedEngineHarness.Start.AddMinutes(minute), "home/water", $$"""{"lpm": {{lpm}}, "flow": {{lpm}}}""");
}
