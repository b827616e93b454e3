using MqttRules.Tests.Support;

namespace MqttRules.Tests.Install;

/// <summary>The systemd unit in samples/ is what a user copies to /etc/systemd/system: it must parse and be hardened.</summary>
public sealed class SystemdUnitTests
{
    private static readonly string UnitPath = Path.Combine(RepoRoot.Path, "samples", "systemd", "mqttrules.service");

    private static Dictionary<string, List<string>> ServiceKeys()
    {
        var keys = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var section = "";
        foreach (var raw in File.ReadLines(UnitPath))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                section = line;
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (section == "[Service]" && eq > 0)
            {
                var key = line[..eq];
                if (!keys.TryGetValue(key, out var values))
                {
                    keys[key] = values = [];
                }

                values.Add(line[(eq + 1)..]);
            }
        }

        return keys;
    }

    [Theory]
    [InlineData("NoNewPrivileges", "yes")]
    [InlineData("DynamicUser", "yes")]
    [InlineData("ProtectSystem", "strict")]
    [InlineData("ProtectHome", "yes")]
    [InlineData("PrivateTmp", "yes")]
    [InlineData("PrivateDevices", "yes")]
    [InlineData("CapabilityBoundingSet", "")]
    [InlineData("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX")]
    [InlineData("SystemCallFilter", "@system-service")]
    [InlineData("RestrictSUIDSGID", "yes")]
    [InlineData("KillSignal", "SIGTERM")]
    public void Unit_is_hardened(string key, string value)
    {
        var keys = ServiceKeys();
        Assert.True(keys.TryGetValue(key, out var values), $"{key}= missing from the unit");
        Assert.Contains(value, values);
    }

    [Fact]
    public void Unit_runs_the_engine_with_state_in_its_state_directory()
    {
        var keys = ServiceKeys();
        Assert.Equal("/usr/local/bin/mqttrules run", Assert.Single(keys["ExecStart"]));
        Assert.Equal("mqttrules", Assert.Single(keys["StateDirectory"]));
        Assert.Contains("MQTTRULES_STATE=/var/lib/mqttrules/mqttrules-state.db", keys["Environment"]);
        Assert.Contains("MQTTRULES_RULES=/etc/mqttrules/rules", keys["Environment"]);
        Assert.Contains("-/etc/mqttrules/mqttrules.env", keys["EnvironmentFile"]);
    }
}
