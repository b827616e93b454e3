namespace MqttRules.Outbox;

/// <summary>How the outbox retries (habit 7: retries are configuration). Defaults suit production; tests shorten them.</summary>
public sealed record DeliveryOptions
{
    /// <summary>
    /// The first attempts of a row follow quickly (<see cref="BaseDelay"/> doubling up to <see cref="MaxDelay"/>,
    /// with jitter); a row is rescheduled for each, so it never holds back the rows behind it.
    /// </summary>
    public int MaxAttempts { get; init; } = 4;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Each attempt is cancelled after this long (Polly timeout) and counts as a transient failure.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After <see cref="MaxAttempts"/> attempts the row waits this long, doubling per failure up to <see cref="RescheduleMax"/>.</summary>
    public TimeSpan RescheduleBase { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan RescheduleMax { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the store is read for due rows when nothing new arrives.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait for in-flight deliveries on stop; undelivered rows stay for the next start.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Tweets per rolling 24 h (<c>MQTTRULES_TWEET_BUDGET</c>).</summary>
    public int TweetBudget { get; init; } = 50;

    /// <summary>Delivered rows are kept this long (to ignore a resubmitted id), then pruned at start.</summary>
    public TimeSpan KeepDelivered { get; init; } = TimeSpan.FromDays(7);
}
