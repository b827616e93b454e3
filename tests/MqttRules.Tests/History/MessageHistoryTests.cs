using System.Text;
using MqttRules.Expressions;
using MqttRules.History;
using MqttRules.Payloads;
using MqttRules.Values;

namespace MqttRules.Tests.History;

public class MessageHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static MessageHistory Make(params HistoryKey[] keys) => new(keys);

    private static void Record(MessageHistory h, string topic, string payload, DateTimeOffset at, IReadOnlyList<string>? via = null)
    {
        using var p = Payload.TryParse(Encoding.UTF8.GetBytes(payload), out _)!;
        h.Record(topic, p, at, via);
    }

    [Theory]
    [InlineData("{\"lux\": 42}", "lux", ValueKind.Number, "42")]
    [InlineData("{\"lux\": \"dark\"}", "lux", ValueKind.Text, "dark")]
    [InlineData("{\"a\": {\"b\": 1.5}}", "a.b", ValueKind.Number, "1.5")]
    [InlineData("17.25", null, ValueKind.Number, "17.25")]
    [InlineData("ON", null, ValueKind.Text, "ON")]
    [InlineData("{\"lux\": 1}", null, ValueKind.Text, "{\"lux\": 1}")]
    public void Last_Payload_ValueAtPathOrWholePayload(string payload, string? path, ValueKind kind, string text)
    {
        var h = Make(new HistoryKey("home/porch/lux", path));

        Record(h, "home/porch/lux", payload, T0);

        var v = h.Last("home/porch/lux", path);
        Assert.Equal(kind, v.Kind);
        Assert.Equal(text, v.ToString());
    }

    [Fact]
    public void Last_NothingYetOrUnknownKey_Missing()
    {
        var h = Make(new HistoryKey("a", "x"));

        Assert.True(h.Last("a", "x").IsMissing);
        Assert.True(h.Last("b", null).IsMissing);
    }

    [Fact]
    public void Last_MessageWithoutPath_KeepsPreviousValue()
    {
        var h = Make(new HistoryKey("a", "x"));
        Record(h, "a", "{\"x\": 1}", T0);

        Record(h, "a", "{\"y\": 2}", T0.AddSeconds(1));

        Assert.Equal(Value.Of(1), h.Last("a", "x"));
    }

    [Fact]
    public void Wants_OnlyReferencedTopics()
    {
        var h = Make(new HistoryKey("home/porch/lux", "lux"), new HistoryKey("sensors/+/temp", "v", TimeSpan.FromHours(1)));

        Assert.True(h.Wants("home/porch/lux"));
        Assert.True(h.Wants("sensors/kitchen/temp"));
        Assert.False(h.Wants("home/porch/motion"));
        Assert.False(h.Wants("sensors/kitchen/temp/raw"));
        Assert.Equal(["home/porch/lux", "sensors/+/temp"], h.Filters.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(Aggregate.Sum, 60.0)]
    [InlineData(Aggregate.Count, 3.0)]
    [InlineData(Aggregate.Avg, 20.0)]
    [InlineData(Aggregate.Min, 10.0)]
    [InlineData(Aggregate.Max, 30.0)]
    public void Aggregate_Window_OverNumbersInIt(Aggregate aggregate, double expected)
    {
        var h = Make(new HistoryKey("m", "v", TimeSpan.FromHours(24)));
        Record(h, "m", "{\"v\": 10}", T0.AddHours(1));
        Record(h, "m", "{\"v\": 30}", T0.AddHours(2));
        Record(h, "m", "{\"v\": \"n/a\"}", T0.AddHours(3));
        Record(h, "m", "{\"v\": 20}", T0.AddHours(4));

        Assert.Equal(Value.Of(expected), h.Aggregate(aggregate, "m", "v", TimeSpan.FromHours(24), T0.AddHours(5)));
    }

    [Theory]
    [InlineData(Aggregate.Sum, "0")]
    [InlineData(Aggregate.Count, "0")]
    [InlineData(Aggregate.Avg, "")]
    [InlineData(Aggregate.Min, "")]
    [InlineData(Aggregate.Max, "")]
    public void Aggregate_EmptyWindow_ZeroOrMissing(Aggregate aggregate, string expected)
    {
        var h = Make(new HistoryKey("m", "v", TimeSpan.FromHours(1)));
        Record(h, "m", "{\"v\": 5}", T0);

        Assert.Equal(expected, h.Aggregate(aggregate, "m", "v", TimeSpan.FromHours(1), T0.AddHours(3)).ToString());
    }

    [Fact]
    public void Aggregate_AtBucketBoundary_ExactWindow()
    {
        var h = Make(new HistoryKey("m", "v", TimeSpan.FromHours(24))); // buckets of 1 minute
        var at = T0.AddDays(1).AddHours(21);
        Record(h, "m", "{\"v\": 1}", at.AddHours(-24).AddSeconds(-1));   // just before the window
        Record(h, "m", "{\"v\": 2}", at.AddHours(-24).AddSeconds(1));
        Record(h, "m", "{\"v\": 4}", at.AddMinutes(-1));
        Record(h, "m", "{\"v\": 8}", at);

        Assert.Equal(Value.Of(14), h.Aggregate(Aggregate.Sum, "m", "v", TimeSpan.FromHours(24), at));
        Assert.Equal(Value.Of(12), h.Aggregate(Aggregate.Sum, "m", "v", TimeSpan.FromMinutes(1), at));
    }

    [Fact]
    public void Aggregate_ValuesExpire_AsWindowSlides()
    {
        var h = Make(new HistoryKey("m", "v", TimeSpan.FromHours(1)));
        Record(h, "m", "{\"v\": 1}", T0);
        Record(h, "m", "{\"v\": 2}", T0.AddMinutes(30));

        Assert.Equal(Value.Of(3), h.Aggregate(Aggregate.Sum, "m", "v", TimeSpan.FromHours(1), T0.AddMinutes(59)));
        Assert.Equal(Value.Of(2), h.Aggregate(Aggregate.Sum, "m", "v", TimeSpan.FromHours(1), T0.AddMinutes(61)));
        Assert.Equal(Value.Of(0), h.Aggregate(Aggregate.Sum, "m", "v", TimeSpan.FromHours(1), T0.AddMinutes(92)));
    }

    [Fact]
    public void Aggregate_LongRun_RingReusedBounded()
    {
        var h = Make(new HistoryKey("m", "v", TimeSpan.FromHours(24)));
        for (var i = 0; i < 7 * 24 * 60; i++)
        {
            Record(h, "m", "{\"v\": 1}", T0.AddMinutes(i));
        }

        var now = T0.AddMinutes((7 * 24 * 60) - 1);
        Assert.Equal(Value.Of(1441), h.Aggregate(Aggregate.Count, "m", "v", TimeSpan.FromHours(24), now)); // 24h plus its last minute, inclusive
        Assert.Equal(Value.Of(61), h.Aggregate(Aggregate.Count, "m", "v", TimeSpan.FromHours(1), now));
    }

    [Fact]
    public void Aggregate_WildcardKey_AcrossMatchingTopics()
    {
        var h = Make(new HistoryKey("home/+/water", "lpm", TimeSpan.FromHours(1)), new HistoryKey("home/+/water", "lpm"));
        Record(h, "home/main/water", "{\"lpm\": 3}", T0);
        Record(h, "home/garden/water", "{\"lpm\": 4}", T0.AddMinutes(1));

        Assert.Equal(Value.Of(7), h.Aggregate(Aggregate.Sum, "home/+/water", "lpm", TimeSpan.FromHours(1), T0.AddMinutes(2)));
        Assert.Equal(Value.Of(4), h.Last("home/+/water", "lpm"));
    }

    [Fact]
    public void Save_Load_RestoresLastAndBuckets()
    {
        HistoryKey[] keys = [new("m", "v", TimeSpan.FromHours(24)), new("s", null)];
        var h = Make(keys);
        Record(h, "m", "{\"v\": 5}", T0);
        Record(h, "m", "{\"v\": 7}", T0.AddHours(2));
        Record(h, "s", "open", T0.AddHours(2));

        var again = Make(keys);
        Assert.True(again.Load(h.Save()));

        Assert.Equal(Value.Of(7), again.Last("m", "v"));
        Assert.Equal(Value.Of("open"), again.Last("s", null));
        Assert.Equal(Value.Of(12), again.Aggregate(Aggregate.Sum, "m", "v", TimeSpan.FromHours(24), T0.AddHours(3)));
        Assert.False(again.Load("garbage"));
    }

    [Fact]
    public void Load_WindowChanged_KeepsLastDropsBuckets()
    {
        var h = Make(new HistoryKey("m", "v", TimeSpan.FromHours(24)));
        Record(h, "m", "{\"v\": 5}", T0);

        var changed = Make(new HistoryKey("m", "v", TimeSpan.FromDays(7)));
        changed.Load(h.Save());

        Assert.Equal(Value.Of(5), changed.Last("m", "v"));
        Assert.Equal(Value.Of(0), changed.Aggregate(Aggregate.Count, "m", "v", TimeSpan.FromDays(7), T0));
    }

    [Fact]
    public void Record_Via_OnlyTheSeriesOfTheFiltersTheMessageCameBy()
    {
        var h = Make(new HistoryKey("a/+", null), new HistoryKey("a/b", null), new HistoryKey("a/#", null));

        Assert.True(h.Wants("a/b", ["a/+"]));
        Assert.False(h.Wants("a/b", ["x/#"]));
        Record(h, "a/b", "1", T0, ["a/+", "a/#"]);

        Assert.Equal(Value.Of(1), h.Last("a/+", null));
        Assert.Equal(Value.Of(1), h.Last("a/#", null));
        Assert.True(h.Last("a/b", null).IsMissing);
    }

    [Theory]
    [InlineData("a/+/c", "a/b/c", true)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/b/c", true)]
    [InlineData("#", "$SYS/x", false)]
    [InlineData("+/x", "$SYS/x", false)]
    [InlineData("a/+", "a/b/c", false)]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/+", "a/", true)]
    [InlineData("+/+", "/a", true)]
    [InlineData("$SYS/#", "$SYS/x", true)]
    [InlineData("A/b", "a/b", false)]
    public void HistoryTopic_MqttSemantics_RecordsMatchingTopicsOnly(string filter, string topic, bool matches)
    {
        var h = Make(new HistoryKey(filter, null));

        Assert.Equal(matches, h.Wants(topic));
        Record(h, topic, "7", T0);
        Assert.Equal(matches, !h.Last(filter, null).IsMissing);
    }
}
