using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions.Delivery;
using MqttRules.Outbox;

namespace MqttRules.Tests.Outbox;

public class DeliveryPipelinesTests
{
    private static readonly DateTimeOffset T0 = TestActions.T0;
    private static readonly DeliveryOptions Options = new() { MaxAttempts = 3, MaxInlineWait = TimeSpan.FromMinutes(1) };

    [Fact]
    public async Task Execute_RateLimitedUntilReset_WaitsExactlyUntilResetOnFakeClock()
    {
        var clock = new FakeTimeProvider(T0);
        var pipeline = DeliveryPipelines.Create(Options, clock);
        var calls = 0;

        var task = pipeline.ExecuteAsync(_ => ValueTask.FromResult(++calls == 1
            ? DeliveryResult.Transient("429", T0.AddSeconds(30))
            : DeliveryResult.Ok()), CancellationToken.None).AsTask();

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, calls);
        clock.Advance(TimeSpan.FromSeconds(1));
        var result = await task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Execute_ResetBeyondInlineWait_ReturnsRetryAtForTheOutbox()
    {
        var pipeline = DeliveryPipelines.Create(Options, new FakeTimeProvider(T0));
        var calls = 0;

        var result = await pipeline.ExecuteAsync(_ => { calls++; return ValueTask.FromResult(DeliveryResult.Transient("429", T0.AddMinutes(15))); });

        Assert.Equal(1, calls);
        Assert.Equal(T0.AddMinutes(15), result.RetryAt);
    }

    [Fact]
    public async Task Execute_Final_NotRetried()
    {
        var pipeline = DeliveryPipelines.Create(Options, new FakeTimeProvider(T0));
        var calls = 0;

        var result = await pipeline.ExecuteAsync(_ => { calls++; return ValueTask.FromResult(DeliveryResult.Rejected("400")); });

        Assert.Equal((DeliveryOutcome.Final, 1), (result.Outcome, calls));
    }

    [Fact]
    public async Task Execute_AlwaysTransient_StopsAfterMaxAttempts()
    {
        var clock = new FakeTimeProvider(T0);
        var pipeline = DeliveryPipelines.Create(Options with { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(4) }, clock);
        var calls = 0;

        var task = pipeline.ExecuteAsync(_ => { calls++; return ValueTask.FromResult(DeliveryResult.Transient("503")); }, CancellationToken.None).AsTask();
        for (var i = 0; i < 200 && !task.IsCompleted; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(5);   // lets the retry's continuation arm its next delay on the fake clock
        }

        var result = await task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((DeliveryOutcome.Retry, 3), (result.Outcome, calls));
    }

    [Fact]
    public async Task Execute_StopRequested_NoFurtherRetry()
    {
        var pipeline = DeliveryPipelines.Create(Options, new FakeTimeProvider(T0), () => true);
        var calls = 0;

        var result = await pipeline.ExecuteAsync(_ => { calls++; return ValueTask.FromResult(DeliveryResult.Transient("503")); });

        Assert.Equal((DeliveryOutcome.Retry, 1), (result.Outcome, calls));
    }

    [Theory]
    [InlineData(30, 30)]
    [InlineData(0, 0)]
    [InlineData(-5, 0)]
    public void WaitFor_RetryAt_DelayUntilThenOrZero(int seconds, int expected) =>
        Assert.Equal(TimeSpan.FromSeconds(expected), DeliveryPipelines.WaitFor(DeliveryResult.Transient("x", T0.AddSeconds(seconds)), T0));

    [Fact]
    public void WaitFor_NoRetryAt_NullMeaningBackoff() =>
        Assert.Null(DeliveryPipelines.WaitFor(DeliveryResult.Transient("x"), T0));
}
