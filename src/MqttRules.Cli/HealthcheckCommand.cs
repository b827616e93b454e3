namespace MqttRules.Cli;

/// <summary>
/// <c>mqttrules healthcheck</c>: asks the running engine's <c>/healthz</c> (at <c>--http</c>) and
/// exits 0 when healthy. For container HEALTHCHECKs, where no curl is installed.
/// </summary>
internal static class HealthcheckCommand
{
    public static async Task<int> RunAsync(CliOptions options, TextWriter stdout)
    {
        var address = options.GetOrNull("http") ?? throw new UsageException("healthcheck needs --http (or MQTTRULES_HTTP), the address the engine serves /healthz on");
        var colon = address.LastIndexOf(':');
        var host = colon <= 0 ? "127.0.0.1" : address[..colon];
        if (host is "0.0.0.0" or "*" or "+" or "[::]")
        {
            host = "127.0.0.1";
        }

        var port = address[(colon + 1)..];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(4) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://{host}:{port}/healthz"));
            await stdout.WriteLineAsync(await response.Content.ReadAsStringAsync());
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await stdout.WriteLineAsync($"unhealthy: {ex.Message}");
            return 1;
        }
    }
}
