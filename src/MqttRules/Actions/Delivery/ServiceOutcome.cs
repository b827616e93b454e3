using System.Globalization;
using System.Text.Json;

namespace MqttRules.Actions.Delivery;

/// <summary>
/// How a chat service answers: its name in details, the JSON field that carries its error text,
/// where a 429 body says how many seconds to wait (Telegram: <c>parameters.retry_after</c>,
/// Discord: <c>retry_after</c>), and what to check when it refuses the credentials (401).
/// </summary>
internal sealed record ServiceAnswers(string Service, string ErrorField, string[]? RetryAfterPath = null, string? CredentialsHint = null);

/// <summary>
/// Maps a chat service's answer into the outbox's outcomes: 2xx delivered; 429 holds the lane until
/// the time the service gave (the body's seconds, else <c>Retry-After</c>, <c>x-rate-limit-reset</c>,
/// or Mastodon's <c>X-RateLimit-Reset</c> timestamp), else backoff; 408/5xx retried; other 4xx final.
/// The detail names the service's error text, never the request URL (it may carry a token).
/// </summary>
internal static class ServiceOutcome
{
    private const int MaxErrorText = 200;

    public static async Task<DeliveryResult> ClassifyAsync(HttpResponseMessage response, ServiceAnswers answers, DateTimeOffset now, CancellationToken ct)
    {
        var code = (int)response.StatusCode;
        if (code is >= 200 and < 300)
        {
            return DeliveryResult.Ok($"{answers.Service} answered {code}");
        }

        var (error, retrySeconds) = await ReadBodyAsync(response, answers, ct);
        var detail = $"{answers.Service} answered {code} {response.ReasonPhrase}" + (error is null ? "" : $": {error}");
        if (code == 429)
        {
            var at = retrySeconds is { } s ? now + TimeSpan.FromSeconds(s) : HttpOutcome.RetryAt(response, now) ?? HttpOutcome.RateLimitReset(response);
            return DeliveryResult.RateLimited(at is { } a ? $"{detail}; rate limited until {a.ToString("O", CultureInfo.InvariantCulture)}" : detail, at);
        }

        if (code == 401 && answers.CredentialsHint is { } hint)
        {
            return DeliveryResult.Rejected($"{detail}; check {hint}");
        }

        return HttpOutcome.Classify(response, answers.Service, now) with { Detail = detail };
    }

    /// <summary>The service's error text (one line, cut) and a 429's wait in seconds, from a JSON body; a plain-text body is the error text.</summary>
    internal static async Task<(string? Error, double? RetryAfter)> ReadBodyAsync(HttpResponseMessage response, ServiceAnswers answers, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty(answers.ErrorField, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            return (OneLine(error), Seconds(root, answers.RetryAfterPath));
        }
        catch (JsonException)
        {
            return (OneLine(body), null);
        }
    }

    private static double? Seconds(JsonElement root, string[]? path)
    {
        if (path is null)
        {
            return null;
        }

        var at = root;
        foreach (var name in path)
        {
            if (at.ValueKind != JsonValueKind.Object || !at.TryGetProperty(name, out at))
            {
                return null;
            }
        }

        return at.ValueKind == JsonValueKind.Number && at.TryGetDouble(out var s) && s is >= 0 and < 86_400 * 7 ? s : null;
    }

    private static string? OneLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var line = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        line = string.Concat(line.Where(c => !char.IsControl(c)));
        return line.Length > MaxErrorText ? line[..MaxErrorText] + "…" : line;
    }
}
