using Microsoft.Extensions.Logging.Abstractions;
using MqttRules.Engine;
using MqttRules.Hosting;

namespace MqttRules.Tests.Hosting;

/// <summary>
/// The decisions <c>GET /api/rules/{id}/decisions</c> returns: the last 50 of a rule, fewer per
/// rule with many rules, so that the trace never holds more than about 5,000 in all.
/// </summary>
public sealed class DecisionTraceTests
{
    [Fact]
    public void Recent_OneRule_TheLast50OldestFirst()
    {
        var trace = new DecisionTrace(["a"], keep: true, new HashSet<string>(), NullLogger.Instance);
        for (var i = 0; i < 120; i++)
        {
            trace.Observe(Decision("a", i));
        }

        Assert.Equal(Enumerable.Range(70, 50).Select(i => $"t/{i}"), trace.Recent("a")!.Select(d => d.Topic));
    }

    [Theory]
    [InlineData(1, 50)]
    [InlineData(100, 50)]
    [InlineData(101, 49)]
    [InlineData(1_000, 5)]
    [InlineData(10_000, 2)]
    public void Recent_ManyRules_FewerEachAtLeastTwo(int rules, int kept)
    {
        var ids = Enumerable.Range(0, rules).Select(r => $"r{r}").ToList();
        var trace = new DecisionTrace(ids, keep: true, new HashSet<string>(), NullLogger.Instance);
        for (var i = 0; i < 60; i++)
        {
            trace.Observe(Decision("r0", i));
        }

        Assert.Equal(kept, trace.RuleCapacity);
        Assert.Equal(Enumerable.Range(60 - kept, kept).Select(i => $"t/{i}"), trace.Recent("r0")!.Select(d => d.Topic));
        Assert.True(rules * trace.RuleCapacity <= Math.Max(DecisionTrace.Budget, rules * DecisionTrace.MinCapacity));
    }

    [Fact]
    public void Recent_RuleAddedByAReload_KeepsAsManyAsTheOthers()
    {
        var trace = new DecisionTrace(Enumerable.Range(0, 1_000).Select(r => $"r{r}"), keep: true, new HashSet<string>(), NullLogger.Instance);
        Assert.True(trace.Wants("new"));
        for (var i = 0; i < 20; i++)
        {
            trace.Observe(Decision("new", i));
        }

        Assert.Equal(5, trace.Recent("new")!.Count);
        Assert.Null(trace.Recent("unknown"));
    }

    private static RuleDecision Decision(string rule, int i) => new()
    {
        Time = DateTimeOffset.UnixEpoch.AddSeconds(i),
        RuleId = rule,
        Trigger = "message",
        Topic = $"t/{i}",
        Reason = "condition_false",
        Explanation = "x",
    };
}
