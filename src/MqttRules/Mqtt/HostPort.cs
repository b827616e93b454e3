using System.Globalization;
using System.Net;

namespace MqttRules.Mqtt;

/// <summary>A listen address written <c>host:port</c> or <c>:port</c> (all interfaces).</summary>
public readonly record struct HostPort(IPAddress Address, int Port)
{
    /// <summary>TCP ports; 0 lets the system choose a free one.</summary>
    public static readonly Configuration.WholeRange PortRange = new(0, 65535);

    /// <summary>Parses <paramref name="text"/>; a bad address is a <see cref="MqttConfigException"/> naming <paramref name="what"/> (the flag or variable).</summary>
    public static HostPort Parse(string text, string what)
    {
        var s = text.Trim();
        var colon = s.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(s.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || !PortRange.Contains(port))
        {
            throw new MqttConfigException($"{what} '{text}' is not host:port or :port (port from {PortRange.Min} to {PortRange.Max})");
        }

        var host = s[..colon].Trim('[', ']');
        IPAddress address;
        if (host.Length == 0 || host == "*")
        {
            address = IPAddress.Any;
        }
        else if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host, out address!))
        {
            throw new MqttConfigException($"{what} '{text}': '{host}' is not an IP address (or localhost)");
        }

        return new HostPort(address, port);
    }

    /// <summary>Where a local client reaches this listener: loopback when it listens on every interface.</summary>
    public string ClientHost => Address.Equals(IPAddress.Any) || Address.Equals(IPAddress.IPv6Any)
        ? "127.0.0.1"
        : Address.ToString();

    public override string ToString() => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? $"[{Address}]:{Port}"
        : $"{Address}:{Port}";
}
