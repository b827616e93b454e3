using Microsoft.Extensions.Logging;

namespace MqttRules.Engine;

/// <summary>
/// Counts every failed evaluation of a rule (<c>mqttrules_evaluation_errors_total{rule}</c>)
/// and logs it at warning with the rule id, series and reason — at most one line per rule per
/// minute of the engine's clock (a <see cref="LogWindow"/> per rule); the next line says how many were not logged.
/// Counting allocates nothing; only a logged line builds its text.
/// </summary>
internal sealed class EvaluationErrorLog(ILogger logger)
{
    public void Report(RuleRuntime rt, string? series, EvaluationFailure failure, string? detail)
    {
        rt.ErrorCounter.Increment();
        if (!rt.ErrorWindow.Admit(out var suppressed) || !logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        var reason = Reason(failure, detail, rt.Rule.ValuePath);
        if (suppressed > 0)
        {
            Log.EvaluationFailedWithSuppressed(logger, rt.Rule.Id, series, reason, suppressed);
        }
        else
        {
            Log.EvaluationFailed(logger, rt.Rule.Id, series, reason);
        }
    }

    internal static string Reason(EvaluationFailure failure, string? detail, string? valuePath) => failure switch
    {
        EvaluationFailure.ValueMissing => $"the payload has no '{valuePath}' (the rule's value: path), so the rule did not match this message",
        EvaluationFailure.ValueNotNumber => "the value is not a number, so the anomaly rule did not score this message",
        EvaluationFailure.WhenUndecided => $"'when: {detail}' is neither true nor false for this message (a missing field or a value of the wrong type), so the rule did not match it",
        EvaluationFailure.ClearUndecided => $"'clear: {detail}' is neither true nor false for this message, so the rule stays firing",
        EvaluationFailure.HoleEmpty => $"template hole '{{{{{detail}}}}}' could not be evaluated (a missing field or a value of the wrong type); it rendered empty and the actions ran",
        EvaluationFailure.HoleSkipped => $"template hole '{{{{{detail}}}}}' could not be evaluated and is the whole payload or body of an action, so that action was not run; the rule's other actions ran",
        _ => $"evaluation failed: {detail}",
    };
}
