using System.Text;
using System.Text.Unicode;
using MqttRules.Rules;

namespace MqttRules.Loading;

/// <summary>A rule file's bytes as text: UTF-8 (a BOM is allowed), or a problem at the first bad byte.</summary>
internal static class RuleFileText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text, or null after adding a problem at the line and column of the first byte that is not UTF-8.</summary>
    public static string? Decode(string path, ReadOnlySpan<byte> bytes, List<Problem> problems)
    {
        var body = bytes.StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes;
        if (Utf8.IsValid(body))
        {
            return StrictUtf8.GetString(body);
        }

        problems.Add(new Problem(Where(path, body, FirstInvalid(body)), "the file is not valid UTF-8 text here; save it as UTF-8"));
        return null;
    }

    private static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length && Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    /// <summary>Line and column (1-based, columns in characters as YAML positions count them) of a byte offset in valid UTF-8.</summary>
    private static SourceLocation Where(string path, ReadOnlySpan<byte> bytes, int offset)
    {
        var before = bytes[..offset];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        var line = before.Count((byte)'\n') + 1;
        return new SourceLocation(path, line, StrictUtf8.GetCharCount(before[lineStart..]) + 1);
    }
}
