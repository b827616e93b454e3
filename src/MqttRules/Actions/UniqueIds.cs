using System.Globalization;
using System.Security.Cryptography;

namespace MqttRules.Actions;

/// <summary>
/// Ids unique across processes without a system call each (<see cref="Guid.NewGuid"/> reads the
/// kernel's random source every time, which showed in the profile of every-message actions): a
/// random 64-bit prefix drawn once per process, then a counter. 32 hex digits, like a GUID.
/// </summary>
internal static class UniqueIds
{
    private static readonly string Prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private static long counter;

    public static string Next() => Prefix + Interlocked.Increment(ref counter).ToString("x16", CultureInfo.InvariantCulture);
}
