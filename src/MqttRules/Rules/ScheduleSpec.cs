namespace MqttRules.Rules;

/// <summary>A cron schedule as written, normalised to Quartz form.</summary>
public sealed record ScheduleSpec(string Source, string QuartzExpression);
