using MqttRules.Outbox;

namespace MqttRules.TestSupport;

/// <summary>Delivery options with short backoffs and polls, so a retried delivery finishes within a test.</summary>
internal static class FastDelivery
{
    public static readonly DeliveryOptions Options = new()
    {
        MaxAttempts = 3,
        BaseDelay = TimeSpan.FromMilliseconds(20),
        MaxDelay = TimeSpan.FromMilliseconds(100),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        RescheduleBase = TimeSpan.FromMilliseconds(200),
        RescheduleMax = TimeSpan.FromMilliseconds(400),
        PollInterval = TimeSpan.FromMilliseconds(25),
        StopTimeout = TimeSpan.FromSeconds(1),
    };
}
