using MqttRules.Configuration;

namespace MqttRules.Engine;

/// <summary><c>MQTTRULES_MAX_SERIES</c>: how many series one rule keeps (default 10,000, at least 1).</summary>
public static class SeriesLimitSetting
{
    public const int Default = 10_000;
    public const string Variable = "MQTTRULES_MAX_SERIES";
    public static readonly WholeRange Range = new(1, int.MaxValue);

    /// <summary>The limit from the environment; a value outside <see cref="Range"/> is a <see cref="ConfigException"/> naming the variable.</summary>
    public static int FromEnvironment(Func<string, string?> env) => new Secrets(env).Whole(Variable, Default, Range);
}
