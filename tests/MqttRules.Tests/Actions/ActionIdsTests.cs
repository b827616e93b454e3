using System.Security.Cryptography;
using System.Text;
using MqttRules.Actions;

namespace MqttRules.Tests.Actions;

/// <summary>Keys derived without building a string are the keys of earlier versions (an outbox row keeps its key across an upgrade).</summary>
public class ActionIdsTests
{
    private static readonly DateTimeOffset T = new(2026, 1, 1, 0, 10, 0, TimeSpan.Zero);

    /// <summary>The formula of version 1, as it was written.</summary>
    private static string Before(string ruleId, string? series, RuleEvent ev, DateTimeOffset time, int index)
    {
        var text = $"{ruleId}\n{series}\n{RenderedAction.EventName(ev)}\n{time.UtcTicks}\n{index}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))[..16]);
    }

    [Theory]
    [InlineData("water-high", "home/main/water", RuleEvent.Fire, 0)]
    [InlineData("porch", null, RuleEvent.Schedule, 3)]
    [InlineData("zürich-ärger", "maison/cuisine/température 🚰", RuleEvent.Resolve, 2147483647)]
    [InlineData("r", "lone \ud800 surrogate", RuleEvent.Repeat, -1)]
    [InlineData("", "", RuleEvent.Message, 12)]
    public void Derive_SameKeyAsBefore(string rule, string? series, RuleEvent ev, int index) =>
        Assert.Equal(Before(rule, series, ev, T, index), ActionIds.Derive(rule, series, ev, T, index));

    [Fact]
    public void Derive_LongerThanTheStackBuffer_SameKeyAsBefore()
    {
        var series = string.Concat(Enumerable.Repeat("a/ä/", 400));

        Assert.Equal(Before("r", series, RuleEvent.Fire, T.AddYears(-2000), 1), ActionIds.Derive("r", series, RuleEvent.Fire, T.AddYears(-2000), 1));
    }
}
