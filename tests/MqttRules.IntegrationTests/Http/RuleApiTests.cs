using System.Net;
using System.Text.Json;
using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Http;

/// <summary>The live rule state and decision trace over HTTP, while a real Mosquitto feeds the engine.</summary>
public sealed class RuleApiTests
{
    private const string Rules = """
        rules:
          - id: level-high
            topic: tank/{tank}/level
            when: value > 30
            cooldown: 1h
            actions:
              - publish: { topic: "pumps/{{tank}}/set", payload: "ON", qos: 1 }
          - id: door
            topic: home/door
            when: state == 'open'
            actions: [{ log: open }]
        """;

    [Fact]
    public async Task Api_ShowsEachRulesSeriesAndItsLastDecisions()
    {
        using var dir = new TempDir();
        await using var broker = await Mosquitto.StartAsync(dir);
        var http = Ports.Free();
        await using var engine = MqttRulesCli.Start(dir, Rules, MqttRulesCli.Url(broker.Port), null, "--http", $":{http}", "--trace", "level-high");
        await engine.WaitForStderrAsync("Subscribed to");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };

        var before = await GetJsonAsync(client, "/api/rules");
        Assert.All(before.GetProperty("rules").EnumerateArray(), r => Assert.False(r.GetProperty("evaluated").GetBoolean()));

        await MosquittoClients.PublishAsync(broker.Port, "tank/m/level", "45", qos: 1);   // fires
        await MosquittoClients.PublishAsync(broker.Port, "tank/m/level", "10", qos: 1);   // resolves
        await MosquittoClients.PublishAsync(broker.Port, "tank/m/level", "50", qos: 1);   // held back by the cooldown
        await Poll.UntilAsync(async () => (await GetJsonAsync(client, "/api/rules/level-high/decisions")).GetProperty("decisions").GetArrayLength() == 3, "three decisions");

        var decisions = (await GetJsonAsync(client, "/api/rules/level-high/decisions")).GetProperty("decisions").EnumerateArray().ToList();
        Assert.Equal(["fire", "resolve", "none"], decisions.Select(d => d.GetProperty("event").GetString()));
        var last = decisions[^1];
        Assert.Equal("held_by_cooldown", last.GetProperty("reason").GetString());
        Assert.Equal(50, last.GetProperty("value").GetDouble());
        Assert.Equal("m", last.GetProperty("captures").GetProperty("tank").GetString());
        Assert.True(last.GetProperty("conditions")[0].GetProperty("result").GetBoolean());

        var rules = (await GetJsonAsync(client, "/api/rules")).GetProperty("rules").EnumerateArray().ToList();
        var level = rules.Single(r => r.GetProperty("id").GetString() == "level-high");
        Assert.True(level.GetProperty("evaluated").GetBoolean());
        var series = Assert.Single(level.GetProperty("series").EnumerateArray());
        Assert.Equal("tank/m/level", series.GetProperty("series").GetString());
        Assert.Equal("held_back", series.GetProperty("phase").GetString());
        Assert.Equal(last.GetProperty("until").GetString(), series.GetProperty("cooldown_until").GetString());
        Assert.Equal(50, series.GetProperty("last_value").GetDouble());
        Assert.NotEqual(JsonValueKind.Null, series.GetProperty("last_fire").ValueKind);
        var door = rules.Single(r => r.GetProperty("id").GetString() == "door");
        Assert.False(door.GetProperty("evaluated").GetBoolean());

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/api/rules/nope/decisions", UriKind.Relative))).StatusCode);
        Assert.Empty((await GetJsonAsync(client, "/api/rules/door/decisions")).GetProperty("decisions").EnumerateArray());
        await Poll.UntilAsync(() => engine.Stderr.Any(l => l.Contains("Rule level-high decided:", StringComparison.Ordinal) && l.Contains("held_back", StringComparison.Ordinal)), "the traced decision logged");
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
