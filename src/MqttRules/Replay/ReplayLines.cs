using System.Text;

namespace MqttRules.Replay;

/// <summary>Splits replay input into lines of raw bytes (no decoding, so invalid UTF-8 stays visible).</summary>
internal static class ReplayLines
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Lines separated by LF (a CR before it is dropped); a UTF-8 byte order mark at the start is skipped.</summary>
    public static IEnumerable<byte[]> Of(Stream stream)
    {
        var buffer = new byte[64 * 1024];
        using var pending = new MemoryStream();
        var first = true;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var from = 0;
            int newline;
            while ((newline = Array.IndexOf(buffer, (byte)'\n', from, read - from)) >= 0)
            {
                pending.Write(buffer, from, newline - from);
                yield return Take(pending, ref first);
                from = newline + 1;
            }

            pending.Write(buffer, from, read - from);
        }

        if (pending.Length > 0)
        {
            yield return Take(pending, ref first);
        }
    }

    public static IEnumerable<byte[]> Of(TextReader reader)
    {
        while (reader.ReadLine() is { } text)
        {
            yield return Encoding.UTF8.GetBytes(text);
        }
    }

    /// <summary>Only spaces, tabs and CRs: skipped like an empty line.</summary>
    public static bool IsBlank(byte[] line) => line.AsSpan().IndexOfAnyExcept(" \t\r\f\v"u8) < 0;

    private static byte[] Take(MemoryStream pending, ref bool first)
    {
        var span = pending.GetBuffer().AsSpan(0, (int)pending.Length);
        if (first && span.StartsWith(Bom))
        {
            span = span[Bom.Length..];
        }

        if (span.EndsWith("\r"u8))
        {
            span = span[..^1];
        }

        first = false;
        var line = span.ToArray();
        pending.SetLength(0);
        return line;
    }
}
