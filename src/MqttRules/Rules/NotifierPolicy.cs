namespace MqttRules.Rules;

/// <summary>
/// <c>group:</c> of a notifier: alerts arriving within <see cref="Wait"/> of the first go out as one
/// digest of at most <see cref="MaxLines"/> lines, digests at least <see cref="Interval"/> apart.
/// </summary>
internal sealed record GroupSpec(TimeSpan Wait, TimeSpan Interval, int MaxLines)
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(5);
    public const int DefaultMaxLines = 10;
}

/// <summary>
/// <c>quiet_hours:</c> of a notifier: a daily window from <see cref="From"/> to <see cref="To"/> (local
/// time of <see cref="Zone"/>, or the engine's zone when null; across midnight when From is after To)
/// in which nothing is delivered; alerts arriving in it wait for its end or are dropped (<see cref="Drop"/>).
/// </summary>
internal sealed record QuietHoursSpec(TimeOnly From, TimeOnly To, TimeZoneInfo? Zone, bool Drop)
{
    /// <summary>The end of the window <paramref name="time"/> is in, or null when it is outside every window.</summary>
    public DateTimeOffset? EndOf(DateTimeOffset time, TimeZoneInfo engineZone)
    {
        var zone = Zone ?? engineZone;
        var local = TimeZoneInfo.ConvertTime(time, zone);
        var clock = TimeOnly.FromTimeSpan(local.TimeOfDay);
        if (From == To || !clock.IsBetween(From, To))
        {
            return null;
        }

        var endDay = From < To || clock < To ? local.Date : local.Date.AddDays(1);
        return LocalToUtc(endDay + To.ToTimeSpan(), zone);
    }

    /// <summary>A local time as an instant; a time skipped by a clock change is taken as just after the change.</summary>
    private static DateTimeOffset LocalToUtc(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(1);
        }

        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }
}

/// <summary>How a notifier holds alerts back: grouping, quiet hours, or both; null parts are off.</summary>
internal sealed record NotifierPolicy(GroupSpec? Group, QuietHoursSpec? Quiet);
