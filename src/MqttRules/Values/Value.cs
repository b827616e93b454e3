using System.Buffers;
using System.Globalization;
using System.Text;

namespace MqttRules.Values;

public enum ValueKind : byte { Missing, Null, Number, Text, Bool }

/// <summary>
/// The result of evaluating an expression. <see cref="ValueKind.Missing"/> means "cannot be
/// evaluated for this message" (a missing variable or a type error) and makes the rule not match.
/// A struct, so evaluation does not allocate.
/// </summary>
public readonly struct Value : IEquatable<Value>
{
    private Value(ValueKind kind, double number, string? text)
    {
        Kind = kind;
        Number = number;
        Text = text;
    }

    public ValueKind Kind { get; }
    public double Number { get; }
    public string? Text { get; }

    public static Value Missing => default;
    public static Value Null => new(ValueKind.Null, 0, null);
    public static Value True => new(ValueKind.Bool, 1, null);
    public static Value False => new(ValueKind.Bool, 0, null);

    public bool IsMissing => Kind == ValueKind.Missing;
    public bool IsTrue => Kind == ValueKind.Bool && Number != 0;

    public static Value Of(double number) => new(ValueKind.Number, number, null);
    public static Value Of(bool b) => b ? True : False;
    public static Value Of(string? text) => text is null ? Null : new(ValueKind.Text, 0, text);

    /// <summary>A number, or a text that is a number (as NCalc coerces "30" &gt; 20).</summary>
    public bool TryNumber(out double number)
    {
        switch (Kind)
        {
            case ValueKind.Number:
                number = Number;
                return true;
            case ValueKind.Text:
                return double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
            default:
                number = 0;
                return false;
        }
    }

    /// <summary>Template text: numbers in the invariant culture, shortest form.</summary>
    public override string ToString() => Kind switch
    {
        ValueKind.Number => FormatNumber(Number),
        ValueKind.Text => Text!,
        ValueKind.Bool => Number != 0 ? "true" : "false",
        _ => "",
    };

    public static string FormatNumber(double number)
    {
        if (number == Math.Floor(number) && Math.Abs(number) < 1e15)
        {
            return ((long)number).ToString(CultureInfo.InvariantCulture);
        }

        return number.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Writes the template text of <see cref="ToString"/> as UTF-8, without making the string.</summary>
    public void WriteUtf8(IBufferWriter<byte> output)
    {
        switch (Kind)
        {
            case ValueKind.Number:
                var span = output.GetSpan(32);
                var integral = Number == Math.Floor(Number) && Math.Abs(Number) < 1e15;
                var done = integral
                    ? ((long)Number).TryFormat(span, out var written, default, CultureInfo.InvariantCulture)
                    : Number.TryFormat(span, out written, "R", CultureInfo.InvariantCulture);
                output.Advance(done ? written : throw new InvalidOperationException("a number longer than 32 bytes"));
                break;
            case ValueKind.Text:
                var text = output.GetSpan(Encoding.UTF8.GetMaxByteCount(Text!.Length));
                output.Advance(Encoding.UTF8.GetBytes(Text, text));
                break;
            case ValueKind.Bool:
                output.Write(Number != 0 ? "true"u8 : "false"u8);
                break;
        }
    }

    public bool Equals(Value other) => Kind == other.Kind && Number.Equals(other.Number) && Text == other.Text;

    public override bool Equals(object? obj) => obj is Value v && Equals(v);

    public override int GetHashCode() => HashCode.Combine(Kind, Number, Text);

    public static bool operator ==(Value left, Value right) => left.Equals(right);

    public static bool operator !=(Value left, Value right) => !left.Equals(right);
}
