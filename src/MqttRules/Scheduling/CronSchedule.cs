using Quartz;

namespace MqttRules.Scheduling;

/// <summary>A cron schedule in a time zone (Quartz's parser; the only place that knows Quartz).</summary>
public sealed class CronSchedule
{
    private readonly CronExpression expression;

    private CronSchedule(CronExpression expression) => this.expression = expression;

    /// <summary>Turns a 5-field standard cron or a 6/7-field Quartz cron into Quartz form; null with an error otherwise.</summary>
    public static string? Normalize(string text, out string? error)
    {
        error = null;
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            string quartz;
            switch (fields.Length)
            {
                case 5:
                    quartz = CronExpression.Parse(string.Join(' ', fields), CronFormat.Unix).CronExpressionString;
                    break;
                case 6 or 7:
                    quartz = CronExpression.Parse(string.Join(' ', fields)).CronExpressionString;
                    break;
                default:
                    error = $"'{text}' has {fields.Length} fields; write a standard 5-field cron ('30 18 * * *') or a Quartz 6/7-field one ('0 30 18 * * ?')";
                    return null;
            }

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

    public static CronSchedule Parse(string quartz, TimeZoneInfo zone)
    {
        return new CronSchedule(CronExpression.Parse(quartz).WithTimeZone(zone));
    }

    /// <summary>The first time strictly after <paramref name="time"/>, or null when there is none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset time) => expression.GetNextValidTimeAfter(time);
}
