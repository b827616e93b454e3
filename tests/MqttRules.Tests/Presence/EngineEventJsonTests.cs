using MqttRules.Engine;
using MqttRules.Presence;
using MqttRules.Values;

namespace MqttRules.Tests.Presence;

/// <summary>Issue 15.2: the JSON of <c>P/events/&lt;rule&gt;</c> is a small stable schema.</summary>
public sealed class EngineEventJsonTests
{
    private static readonly DateTimeOffset T = new(2026, 1, 1, 0, 10, 0, TimeSpan.Zero);

    private static string Json(EngineEvent e) => System.Text.Encoding.UTF8.GetString(EngineEventJson.Write(e));

    [Fact]
    public void Fire_AllFieldsInOrder()
    {
        var e = new EngineEvent("water-high", "fire", "home/main/water", T)
        {
            Value = Value.Of(12.5),
            Duration = 600,
            Captures = [new("meter", "main")],
        };

        Assert.Equal(
            """{"rule":"water-high","event":"fire","series":"home/main/water","time":"2026-01-01T00:10:00.000Z","value":12.5,"duration":600,"captures":{"meter":"main"}}""",
            Json(e));
    }

    [Fact]
    public void NoSeriesNoValue_NullsAndEmptyCaptures()
    {
        Assert.Equal(
            """{"rule":"r","event":"resolve","series":null,"time":"2026-01-01T00:10:00.000Z","value":null,"duration":null,"captures":{}}""",
            Json(new EngineEvent("r", "resolve", null, T)));
    }

    [Fact]
    public void OtherKind_CarriesItsDetails()
    {
        var e = new EngineEvent("valve", "unconfirmed", "valves/a/state", T)
        {
            Value = Value.Of("OPEN"),
            Details = [new("topic", Value.Of("valves/a/set")), new("attempts", Value.Of(3)), new("confirmed", Value.False)],
        };

        Assert.EndsWith(""","value":"OPEN","duration":null,"captures":{},"details":{"topic":"valves/a/set","attempts":3,"confirmed":false}}""", Json(e), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_NotEscapedBeyondJson()
    {
        var json = Json(new EngineEvent("küche", "fire", "a/b", T) { Value = Value.Of("<5°C \"cold\">") });

        Assert.Contains("\"rule\":\"küche\"", json, StringComparison.Ordinal);
        Assert.Contains("\"value\":\"<5°C \\\"cold\\\">\"", json, StringComparison.Ordinal);
    }
}
