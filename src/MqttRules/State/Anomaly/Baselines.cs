using MqttRules.Rules;

namespace MqttRules.State.Anomaly;

/// <summary>The baseline factory and loader the engine is composed with (<c>EngineOptions</c>).</summary>
internal static class Baselines
{
    public static IBaseline Create(AnomalySpec spec, TimeZoneInfo zone) => spec.Method switch
    {
        AnomalyMethod.Ewma => new EwmaBaseline(spec),
        AnomalyMethod.Seasonal => new SeasonalBaseline(spec, zone),
        _ => new ZScoreBaseline(spec),
    };

    /// <summary>Restores a saved baseline; null when it is unreadable or was built for a different rule shape.</summary>
    public static IBaseline? Load(AnomalySpec spec, TimeZoneInfo zone, string json)
    {
        if (BaselineJson.TryParse(json) is not { } saved)
        {
            return null;
        }

        return spec.Method switch
        {
            AnomalyMethod.Ewma => EwmaBaseline.Load(spec, saved),
            AnomalyMethod.Seasonal => SeasonalBaseline.Load(spec, zone, saved),
            _ => ZScoreBaseline.Load(spec, saved),
        };
    }
}
