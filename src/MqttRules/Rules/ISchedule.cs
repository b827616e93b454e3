namespace MqttRules.Rules;

/// <summary>
/// A scheduled rule's trigger, parsed once when the rules are loaded. Scheduling/ implements it;
/// the model names no cron library.
/// </summary>
public interface ISchedule
{
    /// <summary>The cron as written in the rule.</summary>
    string Source { get; }

    /// <summary>This schedule on the wall clock of <paramref name="zone"/> (the rule's time zone, or the engine's default).</summary>
    IZonedSchedule In(TimeZoneInfo zone);
}

/// <summary>A schedule placed in a time zone.</summary>
public interface IZonedSchedule
{
    /// <summary>The first time strictly after <paramref name="time"/>, or null when there is none.</summary>
    DateTimeOffset? NextAfter(DateTimeOffset time);
}
