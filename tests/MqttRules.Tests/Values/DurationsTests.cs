using MqttRules.Values;

namespace MqttRules.Tests.Values;

/// <summary>The duration grammar: <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>2d</c>, <c>1w</c>; a bare number is seconds (SPEC §5).</summary>
public class DurationsTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("2d", 172_800_000)]
    [InlineData("1w", 604_800_000)]
    [InlineData("1w2d3h4m5s6ms", 788_645_006)]
    [InlineData("90", 90_000)]
    [InlineData("0", 0)]
    [InlineData("1.5", 1_500)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData(" 5m ", 300_000)]
    [InlineData("0s", 0)]
    [InlineData("520w", 314_496_000_000)]
    public void TryParse_Valid_Milliseconds(string text, long milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var d));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), d);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("5 minutes")]
    [InlineData("5min")]
    [InlineData("-1s")]
    [InlineData("-5")]
    [InlineData("m")]
    [InlineData("5x")]
    [InlineData("1h 30m")]
    [InlineData("h1")]
    [InlineData("NaN")]
    [InlineData("1H")]
    [InlineData("99999999999w")]
    [InlineData("500000w")]
    [InlineData("521w")]
    [InlineData("315532800")]
    public void TryParse_Invalid_False(string? text)
    {
        Assert.False(Durations.TryParse(text, out _));
    }

    [Theory]
    [InlineData("500000w")]
    [InlineData("3641d")]
    public void TryParse_BeyondTheLongest_TooLong(string text)
    {
        Assert.False(Durations.TryParse(text, out _, out var tooLong));
        Assert.True(tooLong);
    }

    [Theory]
    [InlineData(300_000, "5m")]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(500, "500ms")]
    [InlineData(0, "0s")]
    [InlineData(90_061_000, "1d1h1m1s")]
    public void Format_Shortest(long milliseconds, string expected)
    {
        Assert.Equal(expected, Durations.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }
}
