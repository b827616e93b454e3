using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using MqttRules.IntegrationTests.Infrastructure;
using MqttRules.IntegrationTests.Peers;

namespace MqttRules.IntegrationTests.Http;

/// <summary>The status page in a real headless browser (Debian's <c>chromium</c>) during a leak published to a real Mosquitto.</summary>
public sealed class StatusPageTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// A leak detector without <c>for</c> (it fires on the first reading out of its band; its webhook
    /// is refused for good, a dead letter) and a rule that stays idle.
    /// </summary>
    private static string Rules(Uri hook) => $$$"""
        rules:
          - id: water-leak
            description: Water flow far above its normal band
            topic: home/{meter}/water
            value: flow
            anomaly: { method: zscore, window: 1d, threshold: 3, min_samples: 5, min_stddev: 0.2 }
            actions:
              - publish: { topic: "valves/{{meter}}/set", payload: CLOSE, qos: 1 }
              - webhook: { url: "{{{hook}}}leak", body: { meter: "{{meter}}" } }
          - id: pump-on
            topic: tank/{tank}/level
            when: value > 30
            actions:
              - publish: { topic: "pumps/{{tank}}/set", payload: "ON", qos: 1 }
        """;

    [Fact]
    public async Task StatusPage_InHeadlessChromium_ShowsTheLeakFiringWithItsPlot()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install the Debian package 'chromium' (apt-get install chromium), as .ci/run does");
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var http = Ports.Free();
        await using var hook = await FakeHttpPeer.StartAsync(async (_, context) =>
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("no such hook");
        });
        await using var engine = MqttRulesCli.Start(dir, Rules(hook.BaseUrl), MqttRulesCli.Url(broker.Port), null, "--http", $"127.0.0.1:{http}");
        await engine.WaitForStderrAsync("Subscribed to");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}"), Timeout = TimeSpan.FromSeconds(10) };

        foreach (var flow in new[] { 2.0, 2.2, 1.9, 2.1, 2.0, 2.3, 1.8, 2.1, 14.5 })
        {
            await MosquittoClients.PublishAsync(broker.Port, "home/main/water", $$"""{"flow": {{flow.ToString(CultureInfo.InvariantCulture)}}}""", qos: 1);
        }

        await Poll.UntilAsync(async () => Phase(await client.GetStringAsync(new Uri("/api/rules", UriKind.Relative)), "water-leak") == "firing", "water-leak firing in /api/rules");
        await Poll.UntilAsync(async () => (await client.GetStringAsync(new Uri("/api/status", UriKind.Relative))).Contains("\"dead_letters\":1", StringComparison.Ordinal), "the refused webhook dead-lettered");

        var url = $"http://127.0.0.1:{http}/";
        var dom = await BrowserAsync(dir, "--dump-dom", url);
        var card = Card(dom, "water-leak");
        Assert.StartsWith("<section class=\"rule\" data-rule=\"water-leak\" data-state=\"firing\">", card, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"plot\" data-rule=\"water-leak\"", card, StringComparison.Ordinal);
        Assert.Contains("<polyline class=\"series\" data-series=\"home/main/water\"", card, StringComparison.Ordinal);
        Assert.Contains("<polygon class=\"band\"", card, StringComparison.Ordinal);
        Assert.Contains("14.5", card, StringComparison.Ordinal);
        Assert.Contains("data-rule=\"pump-on\" data-state=\"waiting\"", dom, StringComparison.Ordinal);
        Assert.Contains("<li data-rule=\"water-leak\" data-event=\"fire\">", dom, StringComparison.Ordinal);
        Assert.Contains("<span id=\"broker\" class=\"badge up\">connected</span>", dom, StringComparison.Ordinal);
        Assert.Contains("<b id=\"dead\">1</b>", dom, StringComparison.Ordinal);
        Assert.Contains("answered 404 Not Found", dom, StringComparison.Ordinal);

        var artifacts = Environment.GetEnvironmentVariable("MQTTRULES_TEST_ARTIFACTS") is { Length: > 0 } set ? set : Path.Combine(Path.GetTempPath(), "mqttrules-artifacts");
        Directory.CreateDirectory(artifacts);
        var png = Path.Combine(artifacts, "status-page-phone.png");
        File.Delete(png);
        await BrowserAsync(dir, $"--screenshot={png}", "--window-size=412,915", url);
        Assert.True(File.Exists(png), $"no screenshot at {png}");
        var bytes = await File.ReadAllBytesAsync(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.True(bytes.Length > 10_000, $"screenshot of {bytes.Length} bytes: blank?");
        output.WriteLine($"status page screenshot (412x915, phone): {png}");
    }

    private static string? Phase(string rulesJson, string ruleId)
    {
        using var doc = JsonDocument.Parse(rulesJson);
        return doc.RootElement.GetProperty("rules").EnumerateArray()
            .Where(r => r.GetProperty("id").GetString() == ruleId)
            .SelectMany(r => r.GetProperty("series").EnumerateArray())
            .Select(s => s.GetProperty("phase").GetString())
            .FirstOrDefault();
    }

    /// <summary>The rendered card of one rule, from its opening tag to its end.</summary>
    private static string Card(string dom, string ruleId)
    {
        var start = dom.IndexOf($"<section class=\"rule\" data-rule=\"{ruleId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no card for {ruleId} in the rendered page:\n{dom}");
        var end = dom.IndexOf("</section>", start, StringComparison.Ordinal);
        return dom[start..end];
    }

    /// <summary>Runs headless chromium (own profile in the test folder, loopback only) and returns its stdout.</summary>
    private static async Task<string> BrowserAsync(TempDir dir, params string[] args)
    {
        string[] common =
        [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-background-networking", "--disable-extensions", "--disable-sync", "--hide-scrollbars",
            $"--user-data-dir={dir.FilePath("chromium-profile")}", "--virtual-time-budget=8000",
        ];
        await using var browser = ChildProcess.Start(Chromium, [.. common, .. args], new Dictionary<string, string?> { ["HOME"] = dir.Path }, dir.Path);
        var code = await browser.WaitForExitAsync(BrowserTimeout);
        Assert.True(code == 0, $"chromium exited with {code}:\n{browser.AllOutput}");
        return string.Join("\n", browser.Stdout);
    }
}
