using Microsoft.Extensions.Logging;
using MqttRules.Actions;
using MqttRules.Actions.Publish;
using MqttRules.State;

namespace MqttRules.Engine;

/// <summary>
/// The publishes waiting for confirmation in the state store: all of them written whenever one is
/// added, sent again or ends, and read back at start-up, so a restart in the middle of a wait still
/// sends again, or is confirmed, on time.
/// </summary>
internal sealed class ConfirmationJournal(EngineOptions options)
{
    /// <summary>
    /// A wait that ended while the engine was down is given this long after the start (at most its
    /// <c>within</c>), so the state the broker keeps (retained) or delivers on reconnecting can confirm it first.
    /// </summary>
    public static readonly TimeSpan RestartGrace = TimeSpan.FromSeconds(5);

    private readonly IStateStore store = options.StateStore;
    private readonly bool saves = options.StateStore is not NullStateStore;

    public void SaveIfChanged(ConfirmationWatch watch)
    {
        if (!watch.Changed)
        {
            return;
        }

        watch.Changed = false;
        if (!saves)
        {
            return;
        }

        try
        {
            store.SaveConfirmations([.. watch.All.Select(Snapshot)]);
        }
        catch (Exception ex)
        {
            watch.Changed = true;
            Log.StateSaveFailed(options.Logger, ex);
        }
    }

    /// <summary>The stored confirmations whose rule still has its publish with <c>confirm:</c>; the others are dropped (and logged).</summary>
    public IEnumerable<PendingConfirmation> Load(Dictionary<string, RuleRuntime> byId, DateTimeOffset now)
    {
        foreach (var s in store.LoadConfirmations())
        {
            var spec = byId.TryGetValue(s.RuleId, out var rt) ? PendingConfirmation.SpecAt(rt.Rule, s.List, s.Index) : null;
            if (spec is null)
            {
                Log.ConfirmationDropped(options.Logger, s.RuleId, s.ConfirmTopic);
                continue;
            }

            var grace = spec.Within < RestartGrace ? spec.Within : RestartGrace;
            yield return new PendingConfirmation
            {
                Rule = rt!, Spec = spec, List = s.List, Index = s.Index, Topic = s.ConfirmTopic, Captures = s.Captures,
                Attempts = s.Attempts, Due = s.Due > now ? s.Due : now + grace,
                Publish = new PublishAction
                {
                    Origin = new ActionOrigin(s.Time, s.RuleId, (RuleEvent)s.Event, s.Series), Id = s.ActionId,
                    Topic = s.Topic, Payload = s.Payload, PayloadIsJson = s.PayloadIsJson, Qos = s.Qos, Retain = s.Retain,
                },
            };
        }
    }

    private static ConfirmationSnapshot Snapshot(PendingConfirmation p) => new(
        p.RuleId, p.Series, p.List, p.Index, p.Topic, p.Captures, p.Attempts, p.Due,
        p.Publish.Id, (int)p.Publish.Event, p.Publish.Time, p.Publish.Topic, p.Publish.Payload.ToArray(), p.Publish.PayloadIsJson, p.Publish.Qos, p.Publish.Retain);
}
