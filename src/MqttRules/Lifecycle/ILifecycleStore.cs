namespace MqttRules.Lifecycle;

/// <summary>What a row of run-time lifecycle state is: an enabled override, a mute of a rule or a notifier, an acknowledgement.</summary>
public enum LifecycleKind { Enabled, MuteRule, MuteNotifier, Ack }

/// <summary>
/// One piece of run-time lifecycle state: <see cref="Name"/> is the rule or notifier, <see cref="Series"/>
/// the acknowledged series (else empty), <see cref="Until"/> the end of a mute, <see cref="On"/> an override's value.
/// </summary>
public sealed record LifecycleRow(LifecycleKind Kind, string Name, string Series = "", DateTimeOffset? Until = null, bool On = false);

/// <summary>Where run-time overrides, mutes and acknowledgements survive a restart (the state file's <c>lifecycle</c> table).</summary>
public interface ILifecycleStore
{
    IReadOnlyList<LifecycleRow> Load();

    /// <summary>Writes <paramref name="row"/> in place of the row with its kind, name and series.</summary>
    void Put(LifecycleRow row);

    void Delete(LifecycleKind kind, string name, string series = "");
}

/// <summary>No durability (replay, tests without a state file).</summary>
internal sealed class NullLifecycleStore : ILifecycleStore
{
    public static NullLifecycleStore Instance { get; } = new();

    public IReadOnlyList<LifecycleRow> Load() => [];

    public void Put(LifecycleRow row)
    {
    }

    public void Delete(LifecycleKind kind, string name, string series = "")
    {
    }
}
