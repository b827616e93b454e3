using Quartz;

namespace MqttRules.Scheduling;

/// <summary>
/// A cron schedule in a time zone: a standard 5-field cron (or an <c>@hourly</c>-style macro) with
/// Vixie cron / cronie rules (<see cref="StandardCronSchedule"/>), or a Quartz 6/7-field cron with
/// Quartz's rules (the only place that knows Quartz).
/// </summary>
public sealed class CronSchedule
{
    private readonly Func<DateTimeOffset, DateTimeOffset?> next;

    private CronSchedule(Func<DateTimeOffset, DateTimeOffset?> next) => this.next = next;

    /// <summary>
    /// Checks a cron and returns its evaluated form (5 fields for standard cron and macros, Quartz
    /// form for 6/7 fields); null with an error otherwise.
    /// </summary>
    public static string? Normalize(string text, out string? error)
    {
        if (StandardCron.IsStandard(text))
        {
            return StandardCron.Parse(text, out error)?.Text;
        }

        error = null;
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (6 or 7))
        {
            error = $"'{text}' has {fields.Length} fields; write a standard 5-field cron ('30 18 * * *'), a macro ('@daily') or a Quartz 6/7-field one ('0 30 18 * * ?')";
            return null;
        }

        try
        {
            var quartz = CronExpression.Parse(string.Join(' ', fields)).CronExpressionString;
            var q = quartz.Split(' ');
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

    /// <summary>A schedule from <see cref="Normalize"/>'s result.</summary>
    public static CronSchedule Parse(string normalized, TimeZoneInfo zone)
    {
        if (StandardCron.IsStandard(normalized))
        {
            var cron = StandardCron.Parse(normalized, out var error) ?? throw new FormatException(error);
            return new CronSchedule(new StandardCronSchedule(cron, zone).NextAfter);
        }

        var quartz = CronExpression.Parse(normalized).WithTimeZone(zone);
        return new CronSchedule(quartz.GetNextValidTimeAfter);
    }

    /// <summary>The first time strictly after <paramref name="time"/>, or null when there is none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset time) => next(time);
}
