namespace MqttRules.Configuration;

/// <summary>
/// The allowed range of a whole-number option. Each options type states it next to the option it
/// bounds; the environment reader and the type's <c>Validate()</c> both check against it, so a
/// limit is written once.
/// </summary>
public readonly record struct WholeRange(int Min, int Max)
{
    public bool Contains(int value) => value >= Min && value <= Max;

    /// <summary><paramref name="value"/> when inside the range, else a <see cref="ConfigException"/> naming <paramref name="name"/> and the range.</summary>
    public int Check(int value, string name) =>
        Contains(value) ? value : throw ConfigException.For(name, $"{Describe()}, not {value}");

    /// <summary>How the range reads in an error message: <c>must be a whole number from 1 to 100</c>.</summary>
    public string Describe() => $"must be a whole number from {Min} to {Max}";
}

/// <summary>The allowed range of a duration option; see <see cref="WholeRange"/>.</summary>
public readonly record struct DurationRange(TimeSpan Min, TimeSpan Max)
{
    /// <summary>Any duration from zero up to <paramref name="max"/>.</summary>
    public static DurationRange UpTo(TimeSpan max) => new(TimeSpan.Zero, max);

    public bool Contains(TimeSpan value) => value >= Min && value <= Max;

    public TimeSpan Check(TimeSpan value, string name) =>
        Contains(value) ? value : throw ConfigException.For(name, $"must be a duration from {Text(Min)} to {Text(Max)}, not {Text(value)}");

    /// <summary>A duration as a person reads it: <c>500 ms</c>, <c>30 seconds</c>, <c>1 hour</c>, <c>7 days</c>, <c>136 years</c>.</summary>
    public static string Text(TimeSpan d) => d switch
    {
        { TotalDays: >= 730 } => Unit(Math.Round(d.TotalDays / 365.25), "year"),
        { TotalDays: >= 1 } => Unit(d.TotalDays, "day"),
        { TotalHours: >= 1 } => Unit(d.TotalHours, "hour"),
        { TotalMinutes: >= 1 } => Unit(d.TotalMinutes, "minute"),
        { TotalSeconds: >= 1 } => Unit(d.TotalSeconds, "second"),
        _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{d.TotalMilliseconds:0.###} ms"),
    };

    private static string Unit(double value, string unit) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value:0.###} {unit}{(value == 1 ? "" : "s")}");
}
