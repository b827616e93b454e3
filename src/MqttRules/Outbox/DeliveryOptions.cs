namespace MqttRules.Outbox;

/// <summary>How the outbox retries (habit 7: retries are configuration). Defaults suit production; tests shorten them.</summary>
public sealed record DeliveryOptions
{
    /// <summary>Attempts inside one delivery (Polly retry), exponential backoff with jitter between them.</summary>
    public int MaxAttempts { get; init; } = 4;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Each attempt is cancelled after this long (Polly timeout) and counts as a transient failure.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A Retry-After / rate-limit reset up to this far away is waited for in place; further ones reschedule the row.</summary>
    public TimeSpan MaxInlineWait { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>After a delivery's attempts are used up the row waits this long, doubling per failure up to <see cref="RescheduleMax"/>.</summary>
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
