using MqttRules.Configuration;

namespace MqttRules.Outbox;

/// <summary>
/// How the outbox retries (habit 7: retries are configuration). Defaults suit production; tests shorten
/// them. Each option states its range next to it; <see cref="Validate"/> checks them when the host is built.
/// </summary>
public sealed record DeliveryOptions
{
    /// <summary>
    /// The first attempts of a row follow quickly (<see cref="BaseDelay"/> doubling up to <see cref="MaxDelay"/>,
    /// with jitter); a row is rescheduled for each, so it never holds back the rows behind it.
    /// </summary>
    public int MaxAttempts { get; init; } = 4;
    public static readonly WholeRange MaxAttemptsRange = new(1, 100);

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public static readonly DurationRange BaseDelayRange = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));

    /// <summary>The longest wait between quick attempts; at least <see cref="BaseDelay"/>.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
    public static readonly DurationRange MaxDelayRange = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));

    /// <summary>Each attempt is cancelled after this long (Polly timeout) and counts as a transient failure.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public static readonly DurationRange AttemptTimeoutRange = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));

    /// <summary>After <see cref="MaxAttempts"/> attempts the row waits this long, doubling per failure up to <see cref="RescheduleMax"/> (at least the base).</summary>
    public TimeSpan RescheduleBase { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan RescheduleMax { get; init; } = TimeSpan.FromMinutes(15);
    public static readonly DurationRange RescheduleRange = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1));

    /// <summary>
    /// How often the store is read for due rows while it cannot take writes (rows held then appear
    /// without a wake-up). Otherwise it is read when an action is stored, a lane is done, or a row's next attempt is due.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    public static readonly DurationRange PollIntervalRange = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));

    /// <summary>Longest wait for in-flight deliveries on stop; undelivered rows stay for the next start. At most 10 s: the engine stops within 10 s of SIGTERM.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public static readonly DurationRange StopTimeoutRange = DurationRange.UpTo(TimeSpan.FromSeconds(10));

    /// <summary>Tweets per rolling 24 h (<c>MQTTRULES_TWEET_BUDGET</c>, 0 or more; 0 sends none).</summary>
    public int TweetBudget { get; init; } = 50;
    public const string TweetBudgetVariable = "MQTTRULES_TWEET_BUDGET";
    public static readonly WholeRange TweetBudgetRange = new(0, int.MaxValue);

    /// <summary>Delivered rows are kept this long (to ignore a resubmitted id), then pruned at start.</summary>
    public TimeSpan KeepDelivered { get; init; } = TimeSpan.FromDays(7);
    public static readonly DurationRange KeepDeliveredRange = DurationRange.UpTo(TimeSpan.FromDays(365));

    /// <summary>These options with what the environment sets (<c>MQTTRULES_TWEET_BUDGET</c>).</summary>
    public DeliveryOptions WithEnvironment(Secrets env) =>
        this with { TweetBudget = env.Whole(TweetBudgetVariable, TweetBudget, TweetBudgetRange) };

    /// <summary>Checks each option against its range; throws a <see cref="ConfigException"/> naming the first one outside it.</summary>
    public void Validate()
    {
        MaxAttemptsRange.Check(MaxAttempts, nameof(MaxAttempts));
        BaseDelayRange.Check(BaseDelay, nameof(BaseDelay));
        new DurationRange(BaseDelay, MaxDelayRange.Max).Check(MaxDelay, nameof(MaxDelay));
        AttemptTimeoutRange.Check(AttemptTimeout, nameof(AttemptTimeout));
        RescheduleRange.Check(RescheduleBase, nameof(RescheduleBase));
        new DurationRange(RescheduleBase, RescheduleRange.Max).Check(RescheduleMax, nameof(RescheduleMax));
        PollIntervalRange.Check(PollInterval, nameof(PollInterval));
        StopTimeoutRange.Check(StopTimeout, nameof(StopTimeout));
        TweetBudgetRange.Check(TweetBudget, TweetBudgetVariable);
        KeepDeliveredRange.Check(KeepDelivered, nameof(KeepDelivered));
    }
}
