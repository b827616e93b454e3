using MqttRules.Actions;

namespace MqttRules.Tests.Actions;

public sealed class UniqueIdsTests
{
    [Fact]
    public void Next_ManyFromManyThreads_AllDistinctAndGuidShaped()
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 10_000, _ => ids.Add(UniqueIds.Next()));

        Assert.Equal(10_000, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
    }
}
