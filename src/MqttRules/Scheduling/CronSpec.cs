using MqttRules.Rules;
using Quartz;

namespace MqttRules.Scheduling;

/// <summary>
/// A rule's <c>schedule:</c>, parsed once: a standard 5-field cron (or an <c>@hourly</c>-style
/// macro) with Vixie cron / cronie rules, or a Quartz 6/7-field cron with Quartz's rules (the only
/// place that knows Quartz). <see cref="In"/> places it in a time zone.
/// </summary>
internal sealed class CronSpec : ISchedule
{
    private readonly Func<TimeZoneInfo, Func<DateTimeOffset, DateTimeOffset?>> inZone;

    private CronSpec(string source, string normalized, Func<TimeZoneInfo, Func<DateTimeOffset, DateTimeOffset?>> inZone)
    {
        Source = source;
        Normalized = normalized;
        this.inZone = inZone;
    }

    public string Source { get; }

    /// <summary>The evaluated form: 5 fields for standard cron and macros, Quartz form for 6/7 fields.</summary>
    public string Normalized { get; }

    public CronSchedule In(TimeZoneInfo zone) => new(inZone(zone));

    IZonedSchedule ISchedule.In(TimeZoneInfo zone) => In(zone);

    /// <summary>Parses a cron; null with an error that says what to write otherwise.</summary>
    public static CronSpec? Parse(string text, out string? error)
    {
        if (StandardCron.IsStandard(text))
        {
            var cron = StandardCron.Parse(text, out error);
            return cron is null ? null : new CronSpec(text, cron.Text, zone => new StandardCronSchedule(cron, zone).NextAfter);
        }

        var quartz = ParseQuartz(text, out error);
        return quartz is null ? null : new CronSpec(text, quartz.CronExpressionString, zone => quartz.WithTimeZone(zone).GetNextValidTimeAfter);
    }

    private static CronExpression? ParseQuartz(string text, out string? error)
    {
        error = null;
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (6 or 7))
        {
            error = $"'{text}' has {fields.Length} fields; write a standard 5-field cron ('30 18 * * *'), a macro ('@daily') or a Quartz 6/7-field one ('0 30 18 * * ?')";
            return null;
        }

        try
        {
            var quartz = CronExpression.Parse(string.Join(' ', fields));
            var q = quartz.CronExpressionString.Split(' ');
            var range = OutOfRange(q[0], "second", 59) ?? OutOfRange(q[1], "minute", 59) ?? OutOfRange(q[2], "hour", 23);
            error = range is null ? null : $"'{text}' is not a valid cron expression: {range}";
            return error is null ? quartz : null;
        }
        catch (FormatException ex)
        {
            error = $"'{text}' is not a valid cron expression: {ex.Message}";
            return null;
        }
    }

    /// <summary>Quartz 4.7 accepts a minute or hour such as 99 and then fires at the wrong times; catch those ourselves.</summary>
    private static string? OutOfRange(string field, string name, int max)
    {
        foreach (var part in field.Split(','))
        {
            var start = part.Split('/')[0];
            foreach (var token in start.Split('-'))
            {
                if (int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > max)
                {
                    return $"{name} {n} is out of range: {name}s are 0-{max}";
                }
            }
        }

        return null;
    }
}
