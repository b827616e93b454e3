using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

/// <summary>After a reload, copies the broker sent for the replaced subscriptions still find (only) the rules of their filters.</summary>
public class SubscriptionReplanTests
{
    [Fact]
    public void Route_IdentifierOfThePreviousPlan_ReachesTheFiltersItWasSubscribedFor()
    {
        var before = SubscriptionPlan.WithIdentifiers(["a/#", "b/c"]);
        var oldId = before.Packets.Single().Id!.Value;
        var after = SubscriptionPlan.WithIdentifiers(["a/b", "d/e"]);
        after.Previous = before;

        // Named explicitly, not "any rule": a copy for the old a/# must not also feed the new a/b rule.
        Assert.Equal(["a/#", "b/c"], after.Route([oldId]));
        Assert.Null(after.Route([after.Packets.Single().Id!.Value]));
    }

    [Fact]
    public void Route_IdentifierOfNoPlan_FeedsNothing()
    {
        var after = SubscriptionPlan.WithIdentifiers(["a/b"]);
        after.Previous = SubscriptionPlan.WithIdentifiers(["c/d"]);

        Assert.Empty(after.Route([12345])!);
    }

    /// <summary>
    /// Two reloads in a row: the plan being replaced keeps routing the copies of its own predecessor
    /// while the next one is made (the receive loop may be routing through it right then); the new
    /// plan keeps one generation. Found as a message lost under reloads in the integration tests.
    /// </summary>
    [Fact]
    public void Detached_ReplacedPlanKeepsItsPredecessor_NewPlanKeepsOneGeneration()
    {
        var first = SubscriptionPlan.WithIdentifiers(["a/#"]);
        var firstId = first.Packets.Single().Id!.Value;
        var second = SubscriptionPlan.WithIdentifiers(["a/#", "x/+"]);
        second.Previous = first;
        var third = SubscriptionPlan.WithIdentifiers(["a/#"]);
        third.Previous = second.Detached();

        Assert.Equal(["a/#"], second.Route([firstId]));
        Assert.Same(first, second.Previous);
        Assert.Null(third.Previous!.Previous);
        Assert.Equal(["a/#", "x/+"], third.Route([second.Packets.Single().Id!.Value]));
    }
}
