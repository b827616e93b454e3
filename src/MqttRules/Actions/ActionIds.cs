using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MqttRules.Actions;

/// <summary>
/// The idempotency key of an action: the same rule, series, event, time and position always give the
/// same key, so an event evaluated again after a crash is not delivered twice. The first 16 bytes of
/// the SHA-256 of <c>rule\nseries\nevent\nticks\nindex</c> (UTF-8), as 32 lowercase hex digits;
/// hashed from a stack buffer, so the key is the only allocation.
/// </summary>
internal static class ActionIds
{
    private const int StackLimit = 512;

    public static string Derive(string ruleId, string? series, RuleEvent ev, DateTimeOffset time, int index)
    {
        var eventName = RenderedAction.EventName(ev);
        var max = Encoding.UTF8.GetMaxByteCount(ruleId.Length + (series?.Length ?? 0) + eventName.Length) + 4 + 20 + 11;
        byte[]? rented = null;
        var buffer = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var n = Encoding.UTF8.GetBytes(ruleId, buffer);
            buffer[n++] = (byte)'\n';
            n += Encoding.UTF8.GetBytes(series ?? "", buffer[n..]);
            buffer[n++] = (byte)'\n';
            n += Encoding.UTF8.GetBytes(eventName, buffer[n..]);
            buffer[n++] = (byte)'\n';
            time.UtcTicks.TryFormat(buffer[n..], out var written, default, CultureInfo.InvariantCulture);
            n += written;
            buffer[n++] = (byte)'\n';
            index.TryFormat(buffer[n..], out written, default, CultureInfo.InvariantCulture);
            n += written;
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(buffer[..n], hash);
            return Convert.ToHexStringLower(hash[..16]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
