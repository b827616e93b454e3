using System.Text;
using MqttRules.Payloads;

namespace MqttRules.Tests.Payloads;

/// <summary>A disposed payload is reused for the next message on its thread: nothing of the old message may show.</summary>
public class PayloadReuseTests
{
    private static Payload Parse(string text) => Payload.TryParse(Encoding.UTF8.GetBytes(text), out _)!;

    [Fact]
    public void TryParse_AfterADisposedOne_ReadsOnlyTheNewMessage()
    {
        var first = Parse("{\"lpm\": 42, \"name\": \"kitchen\"}");
        Assert.Equal(42, first.Get(["lpm"]).Number);
        Assert.NotNull(first.Root);
        Assert.Equal("{\"lpm\": 42, \"name\": \"kitchen\"}", first.Text);
        first.Dispose();

        using var second = Parse("{\"other\": 1}");

        Assert.True(second.Get(["lpm"]).IsMissing);
        Assert.Equal(1, second.Get(["other"]).Number);
        Assert.Equal("{\"other\": 1}", second.Text);
        Assert.False(second.Root!.Value.TryGetProperty("name", out _));
    }

    [Theory]
    [InlineData("21.5", PayloadKind.Number, 21.5)]
    [InlineData("plain text", PayloadKind.Text, 0)]
    [InlineData("true", PayloadKind.Json, 0)]
    public void TryParse_KindAndNumber_NotCarriedOver(string text, PayloadKind kind, double number)
    {
        Parse("-7").Dispose();

        using var p = Parse(text);

        Assert.Equal((kind, number, text), (p.Kind, p.Number, p.Text));
    }
}
