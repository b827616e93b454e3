using MqttRules.Actions.Delivery;
using Polly;
using Polly.Retry;

namespace MqttRules.Outbox;

/// <summary>
/// The Polly pipeline of one action kind: retry (exponential backoff with jitter; Retry-After and
/// rate-limit resets honoured) around a per-attempt timeout. Final results and errors that retrying
/// cannot fix are never retried; nor is a row retried in place while other rows wait in its lane.
/// </summary>
public static class DeliveryPipelines
{
    /// <summary>Set on the context of one delivery: true while other rows wait behind it in its lane.</summary>
    public static readonly ResiliencePropertyKey<Func<bool>> OthersWaiting = new("mqttrules.others-waiting");

    public static ResiliencePipeline<DeliveryResult> Create(DeliveryOptions options, TimeProvider clock, Func<bool>? stopRequested = null)
    {
        var builder = new ResiliencePipelineBuilder<DeliveryResult> { TimeProvider = clock };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<DeliveryResult>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(stopRequested?.Invoke() != true && !HasOthersWaiting(args.Context) && ShouldRetry(args.Outcome, clock.GetUtcNow(), options.MaxInlineWait, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(WaitFor(args.Outcome.Result, clock.GetUtcNow())),
            });
        }

        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    internal static bool ShouldRetry(Outcome<DeliveryResult> outcome, DateTimeOffset now, TimeSpan maxInlineWait, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return false;
        }

        if (outcome.Exception is { } ex)
        {
            return !IsPermanent(ex);
        }

        return outcome.Result is { Outcome: DeliveryOutcome.Retry } r && (r.RetryAt is null || r.RetryAt.Value - now <= maxInlineWait);
    }

    /// <summary>
    /// Errors that come from the action itself (a value that cannot be encoded, a malformed URL or
    /// header), not from the peer or the network: the same action would fail the same way every time.
    /// </summary>
    public static bool IsPermanent(Exception ex) =>
        ex is ArgumentException or FormatException or NotSupportedException or System.Text.Json.JsonException;

    private static bool HasOthersWaiting(ResilienceContext context) =>
        context.Properties.TryGetValue(OthersWaiting, out var waiting) && waiting();

    /// <summary>The peer's own wait when it gave one, else null (Polly's backoff).</summary>
    internal static TimeSpan? WaitFor(DeliveryResult? result, DateTimeOffset now) =>
        result?.RetryAt is { } at ? (at > now ? at - now : TimeSpan.Zero) : null;
}
