namespace MqttRules.Actions.Delivery;

/// <summary>
/// An executor for a chat service's HTTP API: refuse what cannot be sent (<see cref="Problem"/>, final,
/// no request), else send <see cref="Request"/> and map the answer with <see cref="ServiceOutcome"/>.
/// </summary>
internal abstract class ServiceExecutor<T>(HttpClient http, ServiceAnswers answers, TimeProvider clock) : ActionExecutor<T>
    where T : ExternalAction
{
    protected override async Task<DeliveryResult> DeliverAsync(T action, CancellationToken cancellationToken)
    {
        if (Problem(action) is { } problem)
        {
            return DeliveryResult.Rejected($"rule {action.RuleId}: {problem}");
        }

        using var request = Request(action);
        using var response = await http.SendAsync(request, cancellationToken);
        return await ServiceOutcome.ClassifyAsync(response, answers, clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>Why the action cannot be sent at all (sending again would not change it), or null.</summary>
    protected virtual string? Problem(T action) => null;

    /// <summary>The request of one attempt.</summary>
    protected abstract HttpRequestMessage Request(T action);
}
