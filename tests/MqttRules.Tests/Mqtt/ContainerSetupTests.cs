using System.Text.RegularExpressions;
using MqttRules.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace MqttRules.Tests.Mqtt;

/// <summary>The shipped container setup starts as it is and does not talk to itself.</summary>
public partial class ContainerSetupTests
{
    private static readonly string Samples = Path.Combine(RepoRoot.Path, "samples");

    /// <summary>
    /// Compose fails to start a service whose secret file or bind-mounted path is missing, and the
    /// engine exits when a *_FILE variable names a file that is not there: as shipped, everything
    /// the file refers to must exist.
    /// </summary>
    [Fact]
    public void ComposeFile_AsShipped_RefersOnlyToFilesThatExist_AndSetsAStableClientId()
    {
        var root = Load(Path.Combine(Samples, "docker-compose.yml"));
        var services = (YamlMappingNode)root["services"];
        var engine = (YamlMappingNode)services["mqttrules"];
        var environment = (YamlMappingNode)engine["environment"];

        Assert.False(string.IsNullOrWhiteSpace(((YamlScalarNode)environment["MQTTRULES_CLIENT_ID"]).Value));
        var secrets = root.Children.TryGetValue("secrets", out var s) ? (YamlMappingNode)s : new YamlMappingNode();
        foreach (var (name, secret) in secrets.Children)
        {
            var file = ((YamlScalarNode)((YamlMappingNode)secret)["file"]).Value!;
            Assert.True(File.Exists(Path.Combine(Samples, file)), $"secret {name}: {file} does not exist");
        }

        foreach (var (name, value) in environment.Children)
        {
            if (((YamlScalarNode)name).Value!.EndsWith("_FILE", StringComparison.Ordinal))
            {
                var path = ((YamlScalarNode)value).Value!;
                Assert.True(secrets.Children.Keys.Any(k => path == "/run/secrets/" + ((YamlScalarNode)k).Value), $"{name} = {path} names no declared secret");
            }
        }

        foreach (var service in services.Children.Values.Cast<YamlMappingNode>())
        {
            if (!service.Children.TryGetValue("volumes", out var volumes))
            {
                continue;
            }

            foreach (var volume in ((YamlSequenceNode)volumes).Children.Cast<YamlScalarNode>())
            {
                var source = volume.Value!.Split(':')[0];
                if (source.StartsWith('.'))
                {
                    Assert.True(Path.Exists(Path.Combine(Samples, source)), $"bind mount source {source} does not exist");
                }
            }
        }
    }

    /// <summary>The engine serves /healthz and /metrics on 8080 in its container: a webhook there posts to itself.</summary>
    [Fact]
    public void BundledRules_NoWebhookPostsToTheEnginesOwnHttpPort()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepoRoot.Path, "Dockerfile"));
        var ownPort = int.Parse(HttpPort().Match(dockerfile).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var urls = Directory.GetFiles(Path.Combine(RepoRoot.Path, "rules"), "*.yaml")
            .SelectMany(f => File.ReadLines(f).Select(l => (File: Path.GetFileName(f), Line: l)))
            .Select(x => (x.File, Match: Url().Match(x.Line)))
            .Where(x => x.Match.Success)
            .ToList();

        Assert.NotEmpty(urls);
        foreach (var (file, match) in urls)
        {
            var url = match.Groups["default"].Success ? match.Groups["default"].Value : match.Groups["literal"].Value;
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                Assert.True(uri.Port != ownPort, $"{file}: {url} is the engine's own HTTP port");
            }
        }
    }

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    [GeneratedRegex(@"MQTTRULES_HTTP=:(\d+)")]
    private static partial Regex HttpPort();

    [GeneratedRegex(@"^\s*url:\s*(?:\$\{\w+:-(?<default>[^}]+)\}|(?<literal>\S+))")]
    private static partial Regex Url();
}
