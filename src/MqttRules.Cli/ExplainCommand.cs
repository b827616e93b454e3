using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using MqttRules.Engine;
using MqttRules.Explaining;
using MqttRules.Replay;

namespace MqttRules.Cli;

/// <summary>
/// <c>mqttrules explain</c>: one message (<c>--topic</c>, <c>--payload</c>) or a recording (<c>--input</c>)
/// through the rules on the replay clock, optionally from a copy of a live engine's state file
/// (<c>--state</c>); for every rule, what it matched, read and decided, and why.
/// </summary>
internal static class ExplainCommand
{
    public static int Run(CliOptions options, TextWriter stdout, TextWriter stderr)
    {
        var topic = options.GetOrNull("topic");
        var input = options.GetOrNull("input");
        if ((topic is null) == (input is null))
        {
            throw new UsageException("explain takes a message (--topic T --payload P) or a recording (--input FILE.jsonl)");
        }

        if (input is not null && !File.Exists(input))
        {
            stderr.WriteLine($"{input}: no such file");
            return 1;
        }

        var statePath = options.GetOrNull("state");
        if (statePath is not null && !File.Exists(statePath))
        {
            stderr.WriteLine($"{statePath}: no such state file");
            return 1;
        }

        var start = Start(options, statePath is not null);
        var zone = options.TimeZone();
        var maxSeries = SeriesLimitSetting.FromEnvironment(options.Env);
        if (ValidateCommand.LoadOrReport(options, stderr) is not { } loaded)
        {
            return 1;
        }

        IEnumerable<ReplayLine> lines;
        if (input is not null)
        {
            try
            {
                ReplayRunner.Validate(input, start);
            }
            catch (ReplayFormatException ex)
            {
                stderr.WriteLine($"{input}:{ex.Line}: {ex.Reason}");
                return 1;
            }

            lines = ReplayReader.Read(new MemoryStream(File.ReadAllBytes(input)), start);
        }
        else
        {
            lines = [new ReplayLine(1, start, topic!, Encoding.UTF8.GetBytes(options.GetOrNull("payload") ?? ""))];
        }

        using var loggers = Logging.Create(options, LogLevel.Error); // the failures a warning would log are explained
        using var state = statePath is null ? null : StateCopy.Of(statePath);
        var settings = new ExplainSettings(loggers.CreateLogger("explain"), zone, maxSeries, options.GetBool("json"), Hosting.EngineComposition.ForRules)
        {
            State = state?.Store,
        };
        new Explainer(loaded.Rules, stdout, settings).Run(lines, start);
        stdout.Flush();
        return 0;
    }

    /// <summary>t = 0: <c>--start</c>; else now when explaining from a live state (its cooldowns run on real time); else replay's default.</summary>
    private static DateTimeOffset Start(CliOptions options, bool live)
    {
        if (options.GetOrNull("start") is not { } text)
        {
            return live ? TimeProvider.System.GetUtcNow() : ReplayReader.DefaultStart;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var start)
            ? start
            : throw new UsageException($"--start '{text}' is not an ISO-8601 time");
    }
}
