using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

/// <summary>What the engine subscribes so that overlapping rule filters never evaluate a message twice.</summary>
public class SubscriptionPlanTests
{
    [Fact]
    public void Mqtt5_OverlappingFiltersGetIdentifiersOfTheirOwn_OthersShareOnePacket()
    {
        var plan = SubscriptionPlan.WithIdentifiers(["home/+/water", "home/main/water", "garage/door", "home/+/water"]);

        var shared = Assert.Single(plan.Packets, p => p.Via is null);
        Assert.Equal(["garage/door"], shared.Filters);
        var own = plan.Packets.Where(p => p.Via is not null).ToArray();
        Assert.Equal(["home/+/water", "home/main/water"], own.Select(p => p.Filters.Single()));
        Assert.All(own, p => Assert.Equal(p.Filters, p.Via));
        Assert.Equal(plan.Packets.Count, plan.Packets.Select(p => p.Id).Distinct().Count());
        Assert.All(plan.Packets, p => Assert.InRange(p.Id!.Value, 1u, SubscriptionPlan.MaxIdentifier));
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Mqtt5_OneCopyPerSubscriptionOrOneCopyWithAllIds_EachFilterFedOnce()
    {
        var plan = SubscriptionPlan.WithIdentifiers(["home/+/water", "home/main/water"]);
        var wide = plan.Packets.Single(p => p.Filters[0] == "home/+/water").Id!.Value;
        var narrow = plan.Packets.Single(p => p.Filters[0] == "home/main/water").Id!.Value;

        // one copy per subscription (what mosquitto does), each with its own identifier
        Assert.Equal(["home/+/water"], plan.Route([wide]));
        Assert.Equal(["home/main/water"], plan.Route([narrow]));

        // one copy carrying both identifiers (MQTT 5 §3.3.4 allows either)
        Assert.Equal(["home/main/water", "home/+/water"], plan.Route([narrow, wide]));
    }

    [Fact]
    public void Route_UnknownIdentifierFeedsNothing_NoIdentifierFeedsEveryMatch()
    {
        var plan = SubscriptionPlan.WithIdentifiers(["a/+", "a/b"]);

        Assert.Empty(plan.Route([12345u])!);
        Assert.Null(plan.Route([]));
        Assert.Null(plan.Route(null));
    }

    [Fact]
    public void Mqtt5_SameFilterSetGivesSameIdentifiersEveryRun()
    {
        var first = SubscriptionPlan.WithIdentifiers(["x/+", "x/y", "z"]);
        var second = SubscriptionPlan.WithIdentifiers(["z", "x/y", "x/+"]);

        Assert.Equal(first.Packets.OrderBy(p => p.Id).Select(p => (p.Id, p.Filters[0])), second.Packets.OrderBy(p => p.Id).Select(p => (p.Id, p.Filters[0])));
    }

    [Fact]
    public void Mqtt5_SharedSubscriptionOverlappingAPlainOne_BothGetIdentifiers()
    {
        var plan = SubscriptionPlan.WithIdentifiers(["$share/g/home/+/water", "home/main/water"]);

        Assert.All(plan.Packets, p => Assert.NotNull(p.Via));
    }

    [Theory]
    [InlineData(new[] { "home/+/water", "home/main/water" }, new[] { "home/+/water" })]
    [InlineData(new[] { "home/main/water", "home/#", "home/+/water" }, new[] { "home/#" })]
    [InlineData(new[] { "a/b", "c/d", "a/b" }, new[] { "a/b", "c/d" })]
    [InlineData(new[] { "#", "$SYS/broker/uptime" }, new[] { "#", "$SYS/broker/uptime" })]
    public void Covering_DropsFiltersAnotherReceivesAlready(string[] requested, string[] expected)
    {
        var plan = SubscriptionPlan.Covering(requested);

        Assert.Equal(expected, plan.Filters);
        Assert.All(plan.Packets, p => Assert.Null(p.Id));
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Covering_OverlapWithoutCover_WidensAndWarnsNamingBoth()
    {
        var plan = SubscriptionPlan.Covering(["a/+/c", "a/b/#", "x/y"]);

        Assert.Equal(["a/+/#", "x/y"], plan.Filters);
        var warning = Assert.Single(plan.Warnings);
        Assert.Contains("'a/+/c' and 'a/b/#' overlap", warning, StringComparison.Ordinal);
        Assert.Contains("'a/+/#'", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Covering_WideningCascadesUntilNoTwoFiltersOverlap()
    {
        var plan = SubscriptionPlan.Covering(["a/+/c", "a/b/#", "+/b/c/d"]);

        var filters = plan.Filters.ToArray();
        for (var i = 0; i < filters.Length; i++)
        {
            for (var j = i + 1; j < filters.Length; j++)
            {
                Assert.False(MqttRules.Topics.FilterRelations.Overlaps(filters[i], filters[j]), $"{filters[i]} / {filters[j]}");
            }
        }

        Assert.All(new[] { "a/+/c", "a/b/#", "+/b/c/d" }, f => Assert.Contains(filters, s => MqttRules.Topics.FilterRelations.Covers(s, f)));
    }

    [Fact]
    public void Covering_SharedSubscriptionOverlap_CannotBeRemoved_Warns()
    {
        var plan = SubscriptionPlan.Covering(["$share/g/home/+/water", "home/main/water"]);

        Assert.Equal(["$share/g/home/+/water", "home/main/water"], plan.Filters);
        var warning = Assert.Single(plan.Warnings);
        Assert.Contains("cannot be merged", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Covering_TenThousandPlainFiltersAndAWildcard_IsQuick()
    {
        var filters = Enumerable.Range(0, 10_000).Select(i => $"home/m{i}/water").Append("home/m7/#").ToArray();

        var plan = SubscriptionPlan.Covering(filters);

        Assert.Equal(10_000, plan.Filters.Count());
        Assert.Contains("home/m7/#", plan.Filters);
    }
}
