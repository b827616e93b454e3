using MqttRules.Mqtt;

namespace MqttRules.Tests.Mqtt;

/// <summary>
/// Issue 12: received messages go from the MQTT receive loop straight to the engine's queue. When
/// that queue is full the receive loop must not wait (it also reads the broker's answers), and
/// the messages must still reach the engine in the order they arrived.
/// </summary>
public sealed class OrderedHandOffTests
{
    [Fact]
    public async Task ATargetThatMakesOneWait_TheCallerGoesOn_AndEverythingArrivesInOrder()
    {
        var taken = new List<int>();
        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failures = new List<Exception>();
        var handOff = new OrderedHandOff<int>(
            i =>
            {
                lock (taken)
                {
                    taken.Add(i);
                }

                return i == 2 ? new ValueTask(full.Task) : ValueTask.CompletedTask; // the queue is full at 2
            },
            failures.Add);

        for (var i = 0; i < 6; i++)
        {
            handOff.Hand(i); // never waits
        }

        Assert.Equal([0, 1, 2], Taken());
        Assert.Equal(3, handOff.Backlog);

        full.SetResult(); // the queue has room again
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (handOff.Backlog > 0 || Taken().Count < 6)
        {
            await Task.Yield();
            timeout.Token.ThrowIfCancellationRequested();
        }

        handOff.Hand(6);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], Taken());
        Assert.Empty(failures);

        List<int> Taken()
        {
            lock (taken)
            {
                return [.. taken];
            }
        }
    }

    [Fact]
    public void ATargetThatThrows_IsReported_AndTheNextItemsStillArrive()
    {
        var taken = new List<int>();
        var failures = new List<Exception>();
        var handOff = new OrderedHandOff<int>(
            i =>
            {
                if (i == 1)
                {
                    throw new InvalidOperationException("closed");
                }

                taken.Add(i);
                return ValueTask.CompletedTask;
            },
            failures.Add);

        handOff.Hand(0);
        handOff.Hand(1);
        handOff.Hand(2);

        Assert.Equal([0, 2], taken);
        Assert.Equal("closed", Assert.Single(failures).Message);
    }
}
