using System.Text;
using MqttRules.Payloads;

namespace MqttRules.Tests.Payloads;

/// <summary>
/// The payload reader never throws: a payload is read, or refused with a reason that the engine
/// counts (issue 10, points 3 and 7: invalid UTF-8 inside a JSON string failed every rule that read it).
/// </summary>
public class HostilePayloadTests
{
    [Theory]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'v', (byte)'"', (byte)':', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xC3, (byte)'"', (byte)':', (byte)'1', (byte)'}' })]
    [InlineData(new byte[] { (byte)'[', (byte)'"', 0xED, 0xA0, 0x80, (byte)'"', (byte)']' })]
    [InlineData(new byte[] { (byte)'"', 0x80, (byte)'"' })]
    public void TryParse_InvalidUtf8InAJsonString_RefusedWithAReason(byte[] bytes)
    {
        Assert.Null(Payload.TryParse(bytes, out var error));
        Assert.Contains("not valid UTF-8", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"v\": \"\\udc00\"}")]
    [InlineData("{\"\\ud800x\": 1}")]
    public void TryParse_EscapedLoneSurrogate_Refused(string json)
    {
        Assert.Null(Payload.TryParse(Encoding.UTF8.GetBytes(json), out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("{\"v\": \"Z\\u00fcrich \\ud83d\\ude00\"}", "Zürich 😀")]
    [InlineData("{\"v\": \"Zürich\"}", "Zürich")]
    public void TryParse_ValidStrings_Read(string json, string expected)
    {
        using var payload = Payload.TryParse(Encoding.UTF8.GetBytes(json), out var error);

        Assert.Null(error);
        Assert.Equal(expected, payload!.Get(["v"]).Text);
    }

    /// <summary>Seeded fuzz: valid payloads with bytes flipped, inserted and cut; every field read as a rule would.</summary>
    [Fact]
    public void TryParse_GeneratedPayloads_ReadOrRefusedNeverThrow()
    {
        var random = new Random(1010);
        string[] seeds =
        [
            "{\"lpm\": 12.5, \"name\": \"Zürich\", \"tags\": [\"a\", \"b\"], \"on\": true, \"n\": null, \"o\": {\"x\": [1, {\"y\": \"z\"}]}}",
            "[1, 2, \"three\", {\"four\": 4}]",
            "\"just a string\"",
            "42.5",
            "ON",
        ];
        var read = 0;
        var refused = 0;
        for (var n = 0; n < 4000; n++)
        {
            var bytes = Mutate(random, Encoding.UTF8.GetBytes(seeds[random.Next(seeds.Length)]));
            using var payload = Payload.TryParse(bytes, out var error);
            if (payload is null)
            {
                Assert.False(string.IsNullOrEmpty(error));
                refused++;
                continue;
            }

            ReadEverything(payload);
            read++;
        }

        Assert.True(read > 500 && refused > 500, $"read {read}, refused {refused}: the generator should reach both");
    }

    private static void ReadEverything(Payload payload)
    {
        _ = payload.AsValue().ToString();
        _ = payload.Text;
        foreach (var path in new[] { new[] { "lpm" }, ["name"], ["tags", "1"], ["o", "x", "1", "y"], ["0"], ["3", "four"], ["value"] })
        {
            _ = payload.Get(path).ToString();
        }

        if (payload.Root is { } root)
        {
            _ = Payload.ToValue(root).ToString();
        }
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = new List<byte>(seed);
        for (var edits = random.Next(1, 4); edits > 0 && bytes.Count > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.Insert(at, (byte)"\"\\{}[]:,\u00ff"[random.Next(9)]);
                    break;
                case 2:
                    bytes.InsertRange(at, new byte[] { 0xC3, 0x28, 0xED, 0xA0, 0x80 }.Take(random.Next(1, 6)));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return bytes.ToArray();
    }
}
