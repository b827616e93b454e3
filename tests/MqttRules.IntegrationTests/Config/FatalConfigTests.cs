using System.Net;
using System.Net.Sockets;
using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Config;

/// <summary>Bad configuration stops <c>run</c>/<c>record</c> before connecting: exit 1 and a message naming the cause.</summary>
public sealed class FatalConfigTests
{
    private static async Task<ChildProcess> ExpectExitOne(ChildProcess p, string mention)
    {
        Assert.Equal(1, await p.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains(p.Stderr, l => l.Contains(mention, StringComparison.Ordinal));
        return p;
    }

    [Theory]
    [InlineData("MQTTRULES_SUBSCRIBE_QOS", "3")]
    [InlineData("MQTTRULES_SESSION_EXPIRY", "forever")]
    [InlineData("MQTTRULES_PROTOCOL", "6")]
    [InlineData("MQTTRULES_CA_FILE", "/no/such/ca.pem")]
    public async Task Run_BadVariable_ExitsOneNamingIt(string name, string value)
    {
        using var dir = new TempDir();
        await using var p = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "mqtt://127.0.0.1:1", new Dictionary<string, string?> { [name] = value });

        await ExpectExitOne(p, name);
    }

    [Fact]
    public async Task Run_BadBrokerUrl_ExitsOne()
    {
        using var dir = new TempDir();
        await using var p = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "http://u:pw@host");

        await ExpectExitOne(p, "broker");
        Assert.DoesNotContain(":pw@", p.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_HttpPortInUse_ExitsOne()
    {
        using var dir = new TempDir();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var p = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, MqttRulesCli.Url(Ports.Free()), null, "--http", $"127.0.0.1:{port}");

        await ExpectExitOne(p, "--http");
    }

    [Fact]
    public async Task Run_EmbeddedPortInUse_ExitsOne()
    {
        using var dir = new TempDir();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var p = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "embedded", new Dictionary<string, string?> { ["MQTTRULES_EMBEDDED_LISTEN"] = $"127.0.0.1:{port}" });

        await ExpectExitOne(p, "MQTTRULES_EMBEDDED_LISTEN");
    }

    [Fact]
    public async Task Record_BadTopicFilter_ExitsOne()
    {
        using var dir = new TempDir();
        await using var p = MqttRulesCli.StartCommand(dir, "record", null, "mqtt://127.0.0.1:1", null, "--out", Path.Combine(dir.Path, "x.jsonl"), "--topic", "a/#/b");

        await ExpectExitOne(p, "a/#/b");
    }

    [Fact]
    public async Task Run_DemoWithExternalBroker_ExitsOne()
    {
        using var dir = new TempDir();
        await using var p = MqttRulesCli.Start(dir, MqttRulesCli.SwitchRules, "mqtt://127.0.0.1:1", null, "--demo");

        await ExpectExitOne(p, "--demo");
    }
}
