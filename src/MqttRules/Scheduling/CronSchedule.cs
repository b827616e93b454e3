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
            switch (fields.Length)
            {
                case 5:
                    return CronExpression.Parse(string.Join(' ', fields), CronFormat.Unix).CronExpressionString;
                case 6 or 7:
                    var quartz = CronExpression.Parse(string.Join(' ', fields)).CronExpressionString;
                    error = OutOfRange(fields[0], "second") ?? OutOfRange(fields[1], "minute");
                    return error is null ? quartz : null;
                default:
                    error = $"'{text}' has {fields.Length} fields; write a standard 5-field cron ('30 18 * * *') or a Quartz 6/7-field one ('0 30 18 * * ?')";
                    return null;
            }
        }
        catch (FormatException ex)
        {
            error = $"'{text}' is not a valid cron expression: {ex.Message}";
            return null;
        }
    }

    /// <summary>Quartz 4.7 accepts a minute such as 99 and then fires every minute; catch 0-59 values ourselves.</summary>
    private static string? OutOfRange(string field, string name)
    {
        foreach (var part in field.Split(','))
        {
            var start = part.Split('/')[0];
            foreach (var token in start.Split('-'))
            {
                if (int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 59)
                {
                    return $"{name} {n} is out of range: {name}s are 0-59";
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
