namespace MqttRules.Actions.Delivery;

/// <summary>Delivers one external action. Transient failures may throw or return <see cref="DeliveryOutcome.Retry"/>.</summary>
internal interface IActionExecutor
{
    Task<DeliveryResult> ExecuteAsync(RenderedAction action, CancellationToken cancellationToken);
}

public enum DeliveryOutcome
{
    /// <summary>The peer accepted it; never send it again.</summary>
    Delivered,

    /// <summary>A transient failure (5xx, 408, 429, network); try again later.</summary>
    Retry,

    /// <summary>The peer rejected it for good (4xx other than 408/429, bad configuration).</summary>
    Final,
}

/// <summary>
/// What a delivery attempt came to. <see cref="Detail"/> never carries a secret. <see cref="HoldsLane"/>:
/// the peer asked for a pause that applies to every action of its lane (a rate limit), not just this one.
/// </summary>
internal sealed record DeliveryResult(DeliveryOutcome Outcome, string Detail, DateTimeOffset? RetryAt = null, bool HoldsLane = false)
{
    public static DeliveryResult Ok(string detail = "ok") => new(DeliveryOutcome.Delivered, detail);

    public static DeliveryResult Transient(string detail, DateTimeOffset? retryAt = null) => new(DeliveryOutcome.Retry, detail, retryAt);

    public static DeliveryResult Rejected(string detail) => new(DeliveryOutcome.Final, detail);

    /// <summary>A rate limit: the whole lane waits until <paramref name="retryAt"/> (or its own backoff).</summary>
    public static DeliveryResult RateLimited(string detail, DateTimeOffset? retryAt) => new(DeliveryOutcome.Retry, detail, retryAt, HoldsLane: true);
}

/// <summary>An executor for one kind of action: anything else is rejected as a configuration error, not sent.</summary>
internal abstract class ActionExecutor<T> : IActionExecutor
    where T : ExternalAction
{
    public Task<DeliveryResult> ExecuteAsync(RenderedAction action, CancellationToken cancellationToken) => action is T typed
        ? DeliverAsync(typed, cancellationToken)
        : Task.FromResult(DeliveryResult.Rejected($"rule {action.RuleId}: a {action.KindText} action cannot be sent by the {typeof(T).Name} executor"));

    protected abstract Task<DeliveryResult> DeliverAsync(T action, CancellationToken cancellationToken);
}
