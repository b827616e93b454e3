namespace MqttRules.Scheduling;

/// <summary>
/// Fire times of a 5-field cron in a time zone, with cronie's daylight-saving rules:
/// <list type="bullet">
/// <item>Spring gap: a fixed-time job (minute and hour fields without <c>*</c>) whose time falls in
/// the gap runs once, at the gap's end; a wildcard job (minute or hour starts with <c>*</c>) just
/// runs at the wall-clock times that exist, so <c>7 * * * *</c> never runs twice in an hour.</item>
/// <item>Autumn overlap: a fixed-time job runs at the first occurrence of its time only; a wildcard
/// job runs at every real occurrence (each real hour for <c>7 * * * *</c>).</item>
/// </list>
/// The zone is walked segment by segment (spans of one UTC offset); inside a segment wall-clock
/// time and instants map one to one.
/// </summary>
internal sealed class StandardCronSchedule(StandardCron cron, TimeZoneInfo zone)
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(400);
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(366 * 50);

    /// <summary>The first fire time strictly after <paramref name="time"/>, or null within 50 years.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset time)
    {
        var end = time.UtcDateTime + Horizon;
        var instant = time.UtcDateTime;
        var offset = zone.GetUtcOffset(time);
        var wall = instant + offset;
        var lower = new DateTime(wall.Ticks - (wall.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Unspecified).AddMinutes(1);
        var repeatedUntil = SecondPassEnd(time, offset);
        while (instant < end)
        {
            var from = !cron.IsWildcard && repeatedUntil > lower ? repeatedUntil.Value : lower;
            var match = cron.FirstMatch(from, from + Window);
            var candidate = (match ?? from + Window) - offset;
            if (Transition(instant, offset, candidate) is not { } change)
            {
                if (match is not null)
                {
                    return new DateTimeOffset(DateTime.SpecifyKind(candidate, DateTimeKind.Utc));
                }

                (instant, lower) = (candidate, from + Window);
                continue;
            }

            var (at, next) = change;
            var oldWallEnd = at + offset;
            var newWallStart = at + next;
            if (next > offset && !cron.IsWildcard && cron.FirstMatch(Max(from, oldWallEnd), newWallStart) is not null)
            {
                return new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)); // the gap's end
            }

            repeatedUntil = next < offset ? oldWallEnd : null;
            (instant, offset, lower) = (at, next, newWallStart);
        }

        return null;
    }

    /// <summary>
    /// When <paramref name="time"/> is in the second pass of an autumn overlap: the wall-clock time
    /// at which the repeated stretch ends (fixed-time jobs already ran for walls before it).
    /// </summary>
    private DateTime? SecondPassEnd(DateTimeOffset time, TimeSpan offset)
    {
        if (!zone.IsAmbiguousTime(time))
        {
            return null;
        }

        var offsets = zone.GetAmbiguousTimeOffsets(time);
        var earlier = offsets.Max();
        if (offset == earlier)
        {
            return null;
        }

        var back = time.UtcDateTime - (earlier - offset) - TimeSpan.FromMinutes(1);
        return Transition(back, zone.GetUtcOffset(back), time.UtcDateTime) is { } change ? change.At + earlier : null;
    }

    /// <summary>The first UTC instant in (from, until] whose offset differs from <paramref name="offset"/>, to the second.</summary>
    private (DateTime At, TimeSpan Offset)? Transition(DateTime from, TimeSpan offset, DateTime until)
    {
        var low = from;
        while (low < until)
        {
            var high = Min(low.AddDays(1), until);
            var highOffset = Offset(high);
            if (highOffset != offset)
            {
                return Narrow(low, high, offset);
            }

            low = high;
        }

        return null;
    }

    private (DateTime, TimeSpan) Narrow(DateTime low, DateTime high, TimeSpan offset)
    {
        var lo = low.Ticks / TimeSpan.TicksPerSecond;
        var hi = (high.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Offset(new DateTime(mid * TimeSpan.TicksPerSecond, DateTimeKind.Utc)) == offset)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        var at = new DateTime(hi * TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        return (at, Offset(at));
    }

    private TimeSpan Offset(DateTime utc) => zone.GetUtcOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
