using MqttRules.Actions.Delivery;
using Polly;
using Polly.Retry;

namespace MqttRules.Outbox;

/// <summary>
/// The Polly pipeline of one action kind: retry (exponential backoff with jitter; Retry-After and
/// rate-limit resets honoured) around a per-attempt timeout. Final results are never retried.
/// </summary>
public static class DeliveryPipelines
{
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
                ShouldHandle = args => ValueTask.FromResult(stopRequested?.Invoke() != true && ShouldRetry(args.Outcome, clock.GetUtcNow(), options.MaxInlineWait, args.Context.CancellationToken)),
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

        if (outcome.Exception is not null)
        {
            return true;
        }

        return outcome.Result is { Outcome: DeliveryOutcome.Retry } r && (r.RetryAt is null || r.RetryAt.Value - now <= maxInlineWait);
    }

    /// <summary>The peer's own wait when it gave one, else null (Polly's backoff).</summary>
    internal static TimeSpan? WaitFor(DeliveryResult? result, DateTimeOffset now) =>
        result?.RetryAt is { } at ? (at > now ? at - now : TimeSpan.Zero) : null;
}
