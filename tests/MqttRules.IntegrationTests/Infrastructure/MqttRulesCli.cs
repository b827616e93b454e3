using System.Globalization;

namespace MqttRules.IntegrationTests.Infrastructure;

/// <summary>The built <c>mqttrules</c> CLI run as a separate process, as users run it.</summary>
public static class MqttRulesCli
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "mqttrules.dll");

    /// <summary>
    /// A native (AOT-compiled) <c>mqttrules</c> executable to run instead of the built mqttrules.dll, from
    /// <c>MQTTRULES_TEST_CLI</c>: CI runs the integration tests once more against the native build.
    /// </summary>
    public static string? NativeExecutable =>
        Environment.GetEnvironmentVariable("MQTTRULES_TEST_CLI") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>Starts the CLI with these arguments: the native executable when one is set, else <c>dotnet mqttrules.dll</c>.</summary>
    public static ChildProcess StartProcess(IEnumerable<string> args, IDictionary<string, string?>? env, string workingDirectory) =>
        NativeExecutable is { } native
            ? ChildProcess.Start(native, args.ToList(), env, workingDirectory)
            : ChildProcess.Start("dotnet", [Dll, .. args], env, workingDirectory);

    public static ChildProcess Start(TempDir dir, string rulesYaml, string broker, IDictionary<string, string?>? env = null, params string[] extraArgs) =>
        StartCommand(dir, "run", rulesYaml, broker, env, extraArgs);

    public static ChildProcess StartCommand(TempDir dir, string command, string? rulesYaml, string broker, IDictionary<string, string?>? env, params string[] extraArgs)
    {
        var args = new List<string> { command, "--broker", broker };
        if (rulesYaml is not null)
        {
            args.AddRange(["--rules", dir.Write("rules.yaml", rulesYaml)]);
        }

        args.AddRange(extraArgs);
        var vars = new Dictionary<string, string?>(env ?? new Dictionary<string, string?>())
        {
            ["DOTNET_NOLOGO"] = "1",
        };
        vars.TryAdd("MQTTRULES_CLIENT_ID", "it-" + Guid.NewGuid().ToString("N")[..8]);
        vars.TryAdd("MQTTRULES_STATE", Path.Combine(dir.Path, "state.db"));
        return StartProcess(args, vars, dir.Path);
    }

    public static string Url(int port) => "mqtt://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>A switch rule: a reading above 30 turns the pump on (each message), the canonical end-to-end check.</summary>
    public const string SwitchRules = """
        rules:
          - id: pump-on
            topic: tank/{tank}/level
            when: value > 30
            each_message: true
            actions:
              - publish: { topic: "pumps/{{tank}}/set", payload: "ON {{value}}", qos: 1 }
        """;
}
