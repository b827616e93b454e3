using MqttRules.Engine;
using MqttRules.State;
using static MqttRules.Engine.StepEvent;
using static MqttRules.Engine.StepReason;
using static MqttRules.State.Phase;

namespace MqttRules.Tests.Engine;

/// <summary>
/// The series state machine as a pure step (SPEC §5): one row per phase × trigger × setting, with
/// the phase, timer, event, reason and save it must decide. Times are minutes after T0.
/// </summary>
public class SeriesStepTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>What a row expects; null times mean "none", Duration in seconds.</summary>
    private sealed record Expect(
        Phase Phase, double? Due, StepEvent Event, StepReason Reason, double? Until = null,
        StepSave Save = StepSave.None, double? Since = double.NaN, double? LastFire = double.NaN, double Duration = 0);

    private sealed record Row(SeriesPoint State, StepTrigger Trigger, StepSettings Settings, Expect Expect);

    private static readonly TimeSpan For5 = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Ten = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Fifteen = TimeSpan.FromMinutes(15);

    private static DateTimeOffset M(double minutes) => T0.AddMinutes(minutes);

    private static DateTimeOffset? M(double? minutes) => minutes is { } m ? M(m) : null;

    private static SeriesPoint At(Phase phase, double? since = null, double? lastFire = null, double? due = null, double? lastSeen = null) =>
        new(phase, M(since), M(lastFire), M(due), M(lastSeen));

    private static StepTrigger Msg(double at, bool holds, bool? clear = null) => StepTrigger.Message(M(at), holds, clear);

    private static StepTrigger Timer(double at) => StepTrigger.Timer(M(at));

    private static StepTrigger Restore(double at) => StepTrigger.Restore(M(at));

    private static StepSettings Plain => default;
    private static readonly StepSettings WithFor = new(For: For5);
    private static readonly StepSettings WithCooldown = new(Cooldown: Ten);
    private static readonly StepSettings WithForAndCooldown = new(For: For5, Cooldown: Ten);
    private static readonly StepSettings WithRepeat = new(Repeat: Fifteen);
    private static readonly StepSettings WithClear = new(HasClear: true);
    private static readonly StepSettings Absent = new(Absent: Ten);
    private static readonly StepSettings AbsentRepeat = new(Repeat: Fifteen, Absent: Ten);
    private static readonly StepSettings Each = new(EachMessage: true);
    private static readonly StepSettings EachCooldown = new(Cooldown: Ten, EachMessage: true);

    private static readonly Dictionary<string, Row> Rows = new()
    {
        // when, nothing else
        ["idle, holds: fires at once"] = new(At(Idle), Msg(0, true), Plain,
            new(Firing, null, Fire, ConditionHeld, Save: StepSave.Urgent, Since: 0, LastFire: 0)),
        ["idle, does not hold: nothing"] = new(At(Idle), Msg(0, false), Plain, new(Idle, null, None, ConditionFalse)),
        ["firing, still holds: nothing"] = new(At(Firing, since: 0, lastFire: 0), Msg(3, true), Plain, new(Firing, null, None, StillHolds)),
        ["firing, no longer holds: resolves"] = new(At(Firing, since: 0, lastFire: 0), Msg(3, false), Plain,
            new(Idle, null, Resolve, Cleared, Save: StepSave.Urgent, Since: null, LastFire: 0, Duration: 180)),
        ["timer in idle: ignored"] = new(At(Idle), Timer(3), Plain, new(Idle, null, None, TimerIgnored)),

        // for:
        ["for, idle, holds: pending until for passes"] = new(At(Idle), Msg(0, true), WithFor,
            new(Pending, 5, None, StepReason.HeldByFor, Until: 5, Save: StepSave.Urgent, Since: 0)),
        ["for, pending, holds before it passes: held back by for"] = new(At(Pending, since: 0, due: 5), Msg(3, true), WithFor,
            new(Pending, 5, None, StepReason.HeldByFor, Until: 5, Since: 0)),
        ["for, pending, holds when it has passed: fires"] = new(At(Pending, since: 0, due: 5), Msg(5, true), WithFor,
            new(Firing, null, Fire, ForElapsed, Save: StepSave.Urgent, Since: 0, LastFire: 5, Duration: 300)),
        ["for, pending, stops holding: back to idle"] = new(At(Pending, since: 0, due: 5), Msg(3, false), WithFor,
            new(Idle, null, None, ConditionEnded, Save: StepSave.Urgent, Since: null)),
        ["for, pending, timer: fires with the duration"] = new(At(Pending, since: 0, due: 5), Timer(5), WithFor,
            new(Firing, null, Fire, ForElapsed, Save: StepSave.Urgent, Since: 0, LastFire: 5, Duration: 300)),

        // cooldown:
        ["cooldown, idle, holds within it: held back until it ends"] = new(At(Idle, lastFire: 0), Msg(3, true), WithCooldown,
            new(HeldBack, 10, None, HeldByCooldown, Until: 10, Save: StepSave.Urgent, Since: 3, LastFire: 0)),
        ["cooldown, idle, holds after it: fires"] = new(At(Idle, lastFire: 0), Msg(12, true), WithCooldown,
            new(Firing, null, Fire, ConditionHeld, Save: StepSave.Urgent, Since: 12, LastFire: 12)),
        ["cooldown, held back, timer: fires when it ends"] = new(At(HeldBack, since: 3, lastFire: 0, due: 10), Timer(10), WithCooldown,
            new(Firing, null, Fire, CooldownEnded, Save: StepSave.Urgent, Since: 3, LastFire: 10, Duration: 420)),
        ["cooldown, held back, still holds: stays held back"] = new(At(HeldBack, since: 3, lastFire: 0, due: 10), Msg(5, true), WithCooldown,
            new(HeldBack, 10, None, StillHolds, Until: 10, Since: 3, LastFire: 0)),
        ["cooldown, held back, stops holding: idle without an event"] = new(At(HeldBack, since: 3, lastFire: 0, due: 10), Msg(5, false), WithCooldown,
            new(Idle, null, None, Cleared, Save: StepSave.Urgent, Since: null, LastFire: 0, Duration: 120)),
        ["for and cooldown, pending, timer within cooldown: held back"] = new(At(Pending, since: 0, lastFire: -4, due: 5), Timer(5), WithForAndCooldown,
            new(HeldBack, 6, None, HeldByCooldown, Until: 6, Save: StepSave.Urgent, Since: 0, LastFire: -4)),

        // repeat:
        ["repeat, idle, holds: fires and sets the first repeat"] = new(At(Idle), Msg(0, true), WithRepeat,
            new(Firing, 15, Fire, ConditionHeld, Until: 15, Save: StepSave.Urgent, Since: 0, LastFire: 0)),
        ["repeat, firing, timer: repeats and sets the next"] = new(At(Firing, since: 0, lastFire: 0, due: 15), Timer(15), WithRepeat,
            new(Firing, 30, StepEvent.Repeat, StepReason.Repeat, Until: 30, Save: StepSave.Urgent, Since: 0, LastFire: 0, Duration: 900)),
        ["repeat, firing, stops holding: resolves, no more repeats"] = new(At(Firing, since: 0, lastFire: 0, due: 15), Msg(3, false), WithRepeat,
            new(Idle, null, Resolve, Cleared, Save: StepSave.Urgent, Since: null, Duration: 180)),
        ["repeat, firing, still holds: waits for the repeat"] = new(At(Firing, since: 0, lastFire: 0, due: 15), Msg(3, true), WithRepeat,
            new(Firing, 15, None, StillHolds, Until: 15)),

        // clear: (hysteresis)
        ["clear, firing, when stops but clear not met: stays firing"] = new(At(Firing, since: 0, lastFire: 0), Msg(3, false, clear: false), WithClear,
            new(Firing, null, None, ClearNotMet)),
        ["clear, firing, clear met while when holds: resolves"] = new(At(Firing, since: 0, lastFire: 0), Msg(3, true, clear: true), WithClear,
            new(Idle, null, Resolve, Cleared, Save: StepSave.Urgent, Since: null, Duration: 180)),
        ["clear, firing, clear undecided: stays firing"] = new(At(Firing, since: 0, lastFire: 0), Msg(3, false, clear: null), WithClear,
            new(Firing, null, None, ClearUndecided)),
        ["clear, idle, holds: fires (clear is not read)"] = new(At(Idle), Msg(0, true), WithClear,
            new(Firing, null, Fire, ConditionHeld, Save: StepSave.Urgent, Since: 0, LastFire: 0)),

        // absent:
        ["absent, idle, message: watch re-armed, saved later"] = new(At(Idle, lastSeen: 0), Msg(0, true), Absent,
            new(Idle, 10, None, AbsentWatch, Until: 10, Save: StepSave.Later)),
        ["absent, idle, timer: fires on the silence"] = new(At(Idle, lastSeen: 0), Timer(10), Absent,
            new(Firing, null, Fire, Silence, Save: StepSave.Urgent, LastFire: 10, Duration: 600)),
        ["absent, firing, message: resolves and watches again"] = new(At(Firing, lastFire: 10, lastSeen: 12), Msg(12, true), Absent,
            new(Idle, 22, Resolve, Returned, Until: 22, Save: StepSave.Urgent, LastFire: 10)),
        ["absent, firing, timer: no repeat for absent rules"] = new(At(Firing, lastFire: 10, lastSeen: 0), Timer(25), AbsentRepeat,
            new(Firing, null, None, TimerIgnored, LastFire: 10)),
        ["absent, restored idle, silence still running: watch until it ends"] = new(At(Idle, lastSeen: 0, due: 10), Restore(5), Absent,
            new(Idle, 10, None, AbsentWatch, Until: 10)),
        ["absent, restored idle, silence ended while down: due now"] = new(At(Idle, lastSeen: 0, due: 10), Restore(30), Absent,
            new(Idle, 30, None, SilenceWhileDown, Until: 30)),
        ["absent, restored firing: as saved"] = new(At(Firing, lastFire: 10, lastSeen: 0), Restore(30), Absent,
            new(Firing, null, None, Restored, LastFire: 10)),
        ["restored pending: timer as saved"] = new(At(Pending, since: 0, due: 5), Restore(2), WithFor,
            new(Pending, 5, None, Restored, Until: 5, Since: 0)),

        // each_message:
        ["each message, holds: runs, nothing to save"] = new(At(Idle), Msg(0, true), Each,
            new(Idle, null, Message, ConditionHeld, LastFire: 0)),
        ["each message, does not hold: nothing"] = new(At(Idle), Msg(0, false), Each, new(Idle, null, None, ConditionFalse)),
        ["each message, cooldown running: held back until it ends"] = new(At(Idle, lastFire: 0), Msg(3, true), EachCooldown,
            new(Idle, null, None, HeldByCooldown, Until: 10, LastFire: 0)),
        ["each message, cooldown over: runs and starts the next, saved at once"] = new(At(Idle, lastFire: 0), Msg(12, true), EachCooldown,
            new(Idle, null, Message, ConditionHeld, Save: StepSave.Urgent, LastFire: 12)),
    };

    public static TheoryData<string> Names => new(Rows.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void Step_Decides(string name)
    {
        var row = Rows[name];

        var d = SeriesStep.Decide(row.State, row.Trigger, row.Settings);

        var e = row.Expect;
        Assert.Equal(e.Phase, d.Next.Phase);
        Assert.Equal(M(e.Due), d.Next.Due);
        Assert.Equal(e.Event, d.Event);
        Assert.Equal(e.Reason, d.Reason);
        Assert.Equal(M(e.Until), d.Until);
        Assert.Equal(e.Save, d.Save);
        // a transition with a due time, or a restored series with one, sets the series' timer
        Assert.Equal(e.Due is not null && (e.Save != StepSave.None || row.Trigger.Kind == TriggerKind.Restore), d.SetsTimer);
        Assert.Equal(e.Duration, d.Duration, 6);
        Assert.Equal(e.Since is double.NaN ? row.State.Since : M(e.Since), d.Next.Since);
        Assert.Equal(e.LastFire is double.NaN ? row.State.LastFire : M(e.LastFire), d.Next.LastFire);
        Assert.Equal(row.State.LastSeen, d.Next.LastSeen);
    }

    [Fact]
    public void Unmoved_OnlyWhereTheStepWouldDecideNothing()
    {
        StepSettings[] all = [Plain, WithFor, WithCooldown, WithForAndCooldown, WithRepeat, WithClear, Absent, AbsentRepeat, Each, EachCooldown];
        var unmoved = 0;
        foreach (var settings in all)
        {
            foreach (var phase in Enum.GetValues<Phase>())
            {
                foreach (var holds in new[] { false, true })
                {
                    var state = At(phase, since: 0, lastFire: 0, due: 5, lastSeen: 0);
                    if (SeriesStep.Unmoved(phase, holds, settings))
                    {
                        unmoved++;
                        Assert.Equal(new StepDecision(state, None, ConditionFalse), SeriesStep.Decide(state, Msg(3, holds), settings));
                    }
                }
            }
        }

        Assert.Equal(8, unmoved); // idle and not holding, for every rule but the two absence watches
    }

    [Fact]
    public void Step_SameInput_SameDecision()
    {
        foreach (var row in Rows.Values)
        {
            Assert.Equal(SeriesStep.Decide(row.State, row.Trigger, row.Settings), SeriesStep.Decide(row.State, row.Trigger, row.Settings));
        }
    }

    [Fact]
    public void Step_AllocatesNothing()
    {
        var rows = Rows.Values.ToArray();
        foreach (var row in rows)
        {
            SeriesStep.Decide(row.State, row.Trigger, row.Settings); // compiled before measuring
        }

        // The least of five rounds: tiering (on-stack replacement of the loop) may allocate once on this thread.
        var fires = 0;
        var least = long.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10_000; i++)
            {
                var row = rows[i % rows.Length];
                fires += SeriesStep.Decide(row.State, row.Trigger, row.Settings).Event == Fire ? 1 : 0;
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
        Assert.True(fires > 0);
    }
}
