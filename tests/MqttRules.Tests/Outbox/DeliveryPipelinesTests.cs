using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions.Delivery;
using MqttRules.Outbox;
using Polly.Timeout;

namespace MqttRules.Tests.Outbox;

public class DeliveryPipelinesTests
{
    private static readonly DateTimeOffset T0 = TestActions.T0;

    private static readonly DeliveryOptions Options = new()
    {
        MaxAttempts = 4,
        BaseDelay = TimeSpan.FromSeconds(1),
        MaxDelay = TimeSpan.FromSeconds(30),
        RescheduleBase = TimeSpan.FromSeconds(30),
        RescheduleMax = TimeSpan.FromMinutes(15),
    };

    [Theory]
    [InlineData(1, 1)]        // quick retries: 1 s, 2 s, 4 s
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 30)]       // then slow: 30 s doubling
    [InlineData(5, 60)]
    [InlineData(9, 900)]      // up to 15 min
    [InlineData(200, 900)]
    public void NextAttempt_NoPeerHint_BackoffPerAttempt(int attempts, int seconds) =>
        Assert.Equal(T0.AddSeconds(seconds), DeliveryPipelines.NextAttempt(DeliveryResult.Transient("503"), attempts, T0, Options, jitter: 0.5));

    [Theory]
    [InlineData(0.0, 750)]
    [InlineData(0.999, 1249)]
    public void NextAttempt_Jitter_SpreadsQuickRetriesByAQuarter(double jitter, int milliseconds)
    {
        var wait = DeliveryPipelines.NextAttempt(DeliveryResult.Transient("503"), 1, T0, Options, jitter) - T0;

        Assert.Equal(milliseconds, (int)wait.TotalMilliseconds);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(3600)]
    public void NextAttempt_PeerGaveRetryAt_ThatTimeExactly(int seconds) =>
        Assert.Equal(T0.AddSeconds(seconds), DeliveryPipelines.NextAttempt(DeliveryResult.RateLimited("429", T0.AddSeconds(seconds)), 1, T0, Options, 0.5));

    [Fact]
    public void NextAttempt_RetryAtInThePast_Backoff() =>
        Assert.Equal(T0.AddSeconds(1), DeliveryPipelines.NextAttempt(DeliveryResult.Transient("503", T0.AddSeconds(-5)), 1, T0, Options, 0.5));

    [Theory]
    [InlineData(typeof(ArgumentException), true)]
    [InlineData(typeof(FormatException), true)]
    [InlineData(typeof(HttpRequestException), false)]
    [InlineData(typeof(IOException), false)]
    [InlineData(typeof(TimeoutRejectedException), false)]
    public void IsPermanent_ByKind_OnlyErrorsOfTheActionItself(Type type, bool permanent) =>
        Assert.Equal(permanent, DeliveryPipelines.IsPermanent((Exception)Activator.CreateInstance(type)!));

    [Fact]
    public void IsUnreachable_ConnectionLevelOnly()
    {
        Assert.True(DeliveryPipelines.IsUnreachable(new HttpRequestException(HttpRequestError.ConnectionError, "refused")));
        Assert.True(DeliveryPipelines.IsUnreachable(new HttpRequestException(HttpRequestError.NameResolutionError, "no such host")));
        Assert.True(DeliveryPipelines.IsUnreachable(new System.Net.Sockets.SocketException()));
        Assert.False(DeliveryPipelines.IsUnreachable(new TimeoutRejectedException()));
        Assert.False(DeliveryPipelines.IsUnreachable(new HttpRequestException(HttpRequestError.ResponseEnded, "ended")));
    }

    [Fact]
    public async Task Execute_AttemptHangs_TimesOutOnFakeClock()
    {
        var clock = new FakeTimeProvider(T0);
        var pipeline = DeliveryPipelines.Create(Options with { AttemptTimeout = TimeSpan.FromSeconds(30) }, clock);

        var task = pipeline.ExecuteAsync(async ct => { await Task.Delay(Timeout.Infinite, ct); return DeliveryResult.Ok(); }, CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => task.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
