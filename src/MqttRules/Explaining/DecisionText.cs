using System.Globalization;
using MqttRules.Engine;
using MqttRules.Values;

namespace MqttRules.Explaining;

/// <summary>A <see cref="RuleDecision"/> as a few indented lines for a person (<c>explain</c>, the <c>--trace</c> log).</summary>
internal static class DecisionText
{
    public static void Write(TextWriter w, RuleDecision d)
    {
        var head = d.Trigger == "message" ? "matched" : $"{d.Trigger} at {StepText(d.Time)}";
        var captures = d.Captures.Count == 0 ? "" : $" ({string.Join(", ", d.Captures.Select(c => $"{c.Key}={c.Value}"))})";
        var value = d.Value.IsMissing ? "" : $", value {Show(d.Value)}";
        w.WriteLine($"  {d.RuleId}: {head}{captures}{value}");
        foreach (var c in d.Conditions)
        {
            var fields = c.Fields.Count == 0 ? "" : $"   ({string.Join(", ", c.Fields.Select(f => $"{f.Key} = {Show(f.Value)}"))})";
            var result = c.Result switch { true => "true", false => "false", _ => "neither true nor false" };
            w.WriteLine($"    {c.Name}: {c.Source} -> {result}{fields}");
        }

        if (d.Anomaly is { } a)
        {
            w.WriteLine(a.Ready
                ? $"    anomaly: z = {Num(a.Z)}, mean = {Num(a.Mean)}, stddev = {Num(a.Stddev)}{(a.Deviates ? ", deviates" : ", within the threshold")}"
                : "    anomaly: the baseline is still warming up");
        }

        if (d.Failure is { } failure && failure != d.Explanation)
        {
            w.WriteLine($"    failure: {failure}");
        }

        var phases = d.PhaseBefore is null ? "" : d.PhaseBefore == d.PhaseAfter ? $"stays {d.PhaseAfter}" : $"{d.PhaseBefore} -> {d.PhaseAfter}";
        var ev = d.Event == "none" ? "" : $" [{d.Event}]";
        w.WriteLine($"    {(phases.Length == 0 ? "" : phases + ": ")}{d.Explanation}{ev}");
    }

    /// <summary>The decision on one line (the <c>--trace</c> log).</summary>
    public static string OneLine(RuleDecision d)
    {
        using var w = new StringWriter(CultureInfo.InvariantCulture);
        Write(w, d);
        return string.Join("; ", w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    public static string StepText(DateTimeOffset t) => Replay.ReplayReader.Format(t);

    private static string Show(Value v) => v.Kind switch
    {
        ValueKind.Missing => "(missing)",
        ValueKind.Null => "null",
        ValueKind.Text => $"\"{v.Text}\" (text)",
        _ => v.ToString(),
    };

    private static string Num(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
}
