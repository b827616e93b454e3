using MqttRules.Rules;

namespace MqttRules.Scheduling;

/// <summary>A cron schedule in a time zone (<see cref="CronSpec.In"/>).</summary>
internal sealed class CronSchedule : IZonedSchedule
{
    private readonly Func<DateTimeOffset, DateTimeOffset?> next;

    internal CronSchedule(Func<DateTimeOffset, DateTimeOffset?> next) => this.next = next;

    /// <summary>
    /// Checks a cron and returns its evaluated form (5 fields for standard cron and macros, Quartz
    /// form for 6/7 fields); null with an error otherwise.
    /// </summary>
    public static string? Normalize(string text, out string? error) => CronSpec.Parse(text, out error)?.Normalized;

    /// <summary>A schedule from <see cref="Normalize"/>'s result.</summary>
    public static CronSchedule Parse(string normalized, TimeZoneInfo zone) =>
        (CronSpec.Parse(normalized, out var error) ?? throw new FormatException(error)).In(zone);

    /// <summary>The first time strictly after <paramref name="time"/>, or null when there is none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset time) => next(time);
}
