using MqttRules.Lifecycle;

namespace MqttRules.Tests.Lifecycle;

/// <summary><c>enabled: false</c> and switching rules on and off at run time (issue 15).</summary>
public class EnabledTests
{
    private const string Rules = """
        rules:
          - id: leak
            topic: cellar/water
            when: value > 0
            repeat: 10m
            actions: [ { log: "leak {{value}}" } ]
          - id: spare
            enabled: false
            topic: attic/water
            when: value > 0
            actions: [ { log: "attic {{value}}" } ]
          - id: nightly
            enabled: false
            schedule: "0 * * * *"
            actions: [ { log: "hourly" } ]
        """;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void DisabledInYaml_LoadedButNotEvaluatedNorSubscribed()
    {
        using var h = new LifecycleHarness(Rules);
        h.Send("attic/water", "5").At(3 * 60 * Minute);

        Assert.Empty(h.Actions);
        Assert.DoesNotContain("attic/water", h.Engine.Subscriptions);
        Assert.Contains("cellar/water", h.Engine.Subscriptions);
        Assert.False(h.Status("spare").Enabled);
        Assert.True(h.Status("leak").Enabled);
        Assert.Equal(["leak=ON", "spare=OFF", "nightly=OFF"], h.Published);
    }

    [Fact]
    public void EnableOverMqtt_RuleRunsAndStateIsPublished()
    {
        using var h = new LifecycleHarness(Rules);
        h.Published.Clear();

        h.Send("mqttrules/rules/spare/enabled/set", "ON").Send("attic/water", "5");

        Assert.Equal(["fire@00:00 log attic 5"], h.Timeline());
        Assert.Equal(["spare=ON"], h.Published);
        Assert.Contains("attic/water", h.Engine.Subscriptions);
    }

    [Fact]
    public void EnabledSchedule_RunsFromTheNextTimeOnly()
    {
        using var h = new LifecycleHarness(Rules);
        h.At(150 * Minute);
        h.Run(CommandKind.Enable, "nightly", "on");
        h.At(181 * Minute);

        Assert.Equal(["schedule@180:00 log hourly"], h.Timeline());
    }

    [Fact]
    public void DisableWhileFiring_NoRepeatsWhileOff_StateKeptAndResumesOnEnable()
    {
        using var h = new LifecycleHarness(Rules);
        h.Send("cellar/water", "1").At(5 * Minute);
        h.Run(CommandKind.Enable, "leak", "OFF");
        h.At(45 * Minute).Send("cellar/water", "0");
        Assert.Equal(["fire@00:00 log leak 1"], h.Timeline());
        Assert.Equal("firing", Assert.Single(h.Status("leak").Series).Phase);

        h.Run(CommandKind.Enable, "leak", "ON");
        h.At(46 * Minute);

        Assert.Equal(["fire@00:00 log leak 1", "repeat@45:00 log leak 1"], h.Timeline());
    }

    [Fact]
    public void Reload_KeepsTheOverride_UntilTheFileChangesEnabled()
    {
        using var h = new LifecycleHarness(Rules);
        h.Run(CommandKind.Enable, "spare", "ON");

        h.Engine.Reload(Yaml.Rules(Rules.Replace("attic {{value}}", "attic! {{value}}", StringComparison.Ordinal)));
        Assert.True(h.Status("spare").Enabled);

        // The file now says enabled: true; the override is forgotten, so a later edit back to false wins.
        h.Engine.Reload(Yaml.Rules(Rules.Replace("    enabled: false\n    topic: attic", "    enabled: true\n    topic: attic", StringComparison.Ordinal)));
        h.Engine.Reload(Yaml.Rules(Rules));
        Assert.False(h.Status("spare").Enabled);
    }

    [Fact]
    public void EnabledKey_IsNoChangeOfTheRule_ForReload()
    {
        var on = Yaml.Rules(Rules.Replace("    enabled: false\n    topic: attic", "    topic: attic", StringComparison.Ordinal));
        var off = Yaml.Rules(Rules);

        Assert.Equal(on.Rules[1].Definition, off.Rules[1].Definition);
    }
}
