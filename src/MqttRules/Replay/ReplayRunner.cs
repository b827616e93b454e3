using Microsoft.Extensions.Logging;
using MqttRules.Actions;
using MqttRules.Engine;
using MqttRules.Rules;

namespace MqttRules.Replay;

/// <summary>
/// Feeds a recording through the same engine that <c>run</c> uses, on a virtual clock, and hands
/// every action to a sink instead of executing it.
/// </summary>
public sealed class ReplayRunner(RuleSet rules, IActionSink sink, ILogger logger, TimeZoneInfo defaultZone)
{
    /// <summary>Factory for engine options, so later features (baselines, history) plug in once for run and replay.</summary>
    public Func<ReplayClock, EngineOptions, EngineOptions> Configure { get; init; } = (_, o) => o;

    /// <summary>Called after each line was processed (<c>explain</c> groups the decisions it caused).</summary>
    public Action<ReplayLine>? LineDone { get; init; }

    /// <summary>Checks the whole file first, so a bad line stops replay before any action is printed.</summary>
    public static void Validate(string path, DateTimeOffset start)
    {
        using var reader = File.OpenRead(path);
        foreach (var _ in ReplayReader.Read(reader, start))
        {
        }
    }

    /// <summary>Replays <paramref name="path"/>; returns the number of messages read.</summary>
    public int Run(string path, DateTimeOffset start)
    {
        using var reader = File.OpenRead(path);
        return Run(reader, start);
    }

    /// <summary>Replays the lines of <paramref name="input"/> (a rule test's messages); returns the number of messages read.</summary>
    public int Run(Stream input, DateTimeOffset start) => Run(ReplayReader.Read(input, start), start);

    /// <summary>Replays <paramref name="lines"/> (in time order); returns the number of messages read.</summary>
    public int Run(IEnumerable<ReplayLine> lines, DateTimeOffset start)
    {
        var clock = new ReplayClock(start);
        RuleEngine? engine = null;
        DateTimeOffset? last = null;
        var count = 0;
        foreach (var line in lines)
        {
            if (engine is null)
            {
                clock.Set(line.Time);
                engine = Create(clock);
            }

            engine.AdvanceTo(line.Time);
            clock.Set(line.Time);
            last = line.Time;
            count++;
            if (line.Payload is null)
            {
                engine.ProcessUnreadable(line.Topic, $"line {line.LineNumber}: the payload is not valid text");
            }
            else
            {
                engine.Process(line.Topic, line.Payload);
            }

            LineDone?.Invoke(line);
        }

        if (engine is not null && last is { } end)
        {
            engine.AdvanceTo(end);
            ReplayLog.Replayed(logger,
                count, engine.Metrics.PayloadErrors, engine.Metrics.EvaluationErrors);
        }

        return count;
    }

    private RuleEngine Create(ReplayClock clock)
    {
        var options = Configure(clock, new EngineOptions { Clock = clock, DefaultTimeZone = defaultZone, Logger = logger });
        var engine = new RuleEngine(rules, sink, options);
        engine.Start();
        return engine;
    }
}
