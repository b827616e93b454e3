using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

/// <summary>What the engine subscribes so that overlapping rule filters never evaluate a message twice.</summary>
public class SubscriptionPlanTests
{
    [Fact]
    public void Mqtt5_CoveredFilterIsDropped_OneCopyServesBoth()
    {
        var plan = SubscriptionPlan.WithIdentifiers(["home/+/water", "home/main/water", "garage/door", "home/+/water"]);

        var packet = Assert.Single(plan.Packets);
        Assert.Equal(["home/+/water", "garage/door"], packet.Filters);
        Assert.Null(packet.Via);
        Assert.InRange(packet.Id!.Value, 1u, SubscriptionPlan.MaxIdentifier);
        Assert.Equal(["'home/main/water' is received through 'home/+/water'"], plan.Notes);
    }

    [Fact]
    public void Mqtt5_PartialOverlap_WidenedLikeOn311_SoTheMessageArrivesOnce()
    {
        var plan = SubscriptionPlan.WithIdentifiers(["plant/+/temp", "plant/p1/#", "garage/door"]);

        var packet = Assert.Single(plan.Packets);
        Assert.Equal(["plant/+/#", "garage/door"], packet.Filters);
        Assert.Contains("'plant/+/temp' and 'plant/p1/#' overlap", Assert.Single(plan.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Mqtt5_SharedSubscriptionOverlap_EachGetsAnIdentifierOfItsOwn_OthersShareOnePacket()
    {
        var plan = SubscriptionPlan.WithIdentifiers(["$share/g/plant/+/temp", "plant/p1/#", "plant/p1/temp", "garage/door"]);

        var shared = Assert.Single(plan.Packets, p => p.Via is null);
        Assert.Equal(["garage/door"], shared.Filters);
        var own = plan.Packets.Where(p => p.Via is not null).ToArray();
        Assert.Equal(["$share/g/plant/+/temp", "plant/p1/#"], own.Select(p => p.Filters.Single()));
        Assert.Equal(["$share/g/plant/+/temp"], own[0].Via);
        Assert.Equal(["plant/p1/#", "plant/p1/temp"], own[1].Via);
        Assert.Equal(plan.Packets.Count, plan.Packets.Select(p => p.Id).Distinct().Count());
        Assert.All(plan.Packets, p => Assert.InRange(p.Id!.Value, 1u, SubscriptionPlan.MaxIdentifier));
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Mqtt5_OneCopyPerSubscriptionOrOneCopyWithAllIds_EachFilterFedOnce()
    {
        var plan = SubscriptionPlan.WithIdentifiers(["$share/g/a/+/c", "a/b/#"]);
        var plus = plan.Packets.Single(p => p.Filters[0] == "$share/g/a/+/c").Id!.Value;
        var hash = plan.Packets.Single(p => p.Filters[0] == "a/b/#").Id!.Value;

        // one copy per subscription (what mosquitto does), each with its own identifier
        Assert.Equal(["$share/g/a/+/c"], plan.Route([plus]));
        Assert.Equal(["a/b/#"], plan.Route([hash]));

        // one copy carrying both identifiers (MQTT 5 §3.3.4 allows either)
        Assert.Equal(["a/b/#", "$share/g/a/+/c"], plan.Route([hash, plus]));
    }

    [Fact]
    public void Route_UnknownIdentifierFeedsNothing_NoIdentifierFeedsEveryMatch()
    {
        var plan = SubscriptionPlan.WithIdentifiers(["a/+", "b"]);

        Assert.Empty(plan.Route([plan.Packets[0].Id!.Value + 1])!);
        Assert.Null(plan.Route([plan.Packets[0].Id!.Value]));
        Assert.Null(plan.Route([]));
        Assert.Null(plan.Route(null));
    }

    [Fact]
    public void Mqtt5_SameFilterSetGivesSameIdentifiersEveryRun()
    {
        var first = SubscriptionPlan.WithIdentifiers(["$share/g/x/+/a", "x/y/#", "z"]);
        var second = SubscriptionPlan.WithIdentifiers(["z", "x/y/#", "$share/g/x/+/a"]);

        Assert.Equal(first.Packets.OrderBy(p => p.Id).Select(p => (p.Id, p.Filters[0])), second.Packets.OrderBy(p => p.Id).Select(p => (p.Id, p.Filters[0])));
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

        string[] covered = ["a/+/c", "a/b/#", "+/b/c/d"];
        Assert.All(covered, f => Assert.Contains(filters, s => MqttRules.Topics.FilterRelations.Covers(s, f)));
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
