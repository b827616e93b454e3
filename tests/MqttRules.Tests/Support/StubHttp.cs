using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace MqttRules.Tests.Support;

/// <summary>One request as the stub saw it: its body read while the request was alive.</summary>
internal sealed record SeenRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? ContentType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>An HTTP handler in memory: records each request and answers with the scripted response (the n-th call, 1-based).</summary>
internal sealed class StubHttp(Func<int, HttpResponseMessage> answer) : HttpMessageHandler
{
    public StubHttp(HttpStatusCode code = HttpStatusCode.OK, string body = "{}")
        : this(_ => Answer(code, body))
    {
    }

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    public SeenRequest Last => Requests.Last();

    public HttpClient Client() => new(this, disposeHandler: false);

    public static HttpResponseMessage Answer(HttpStatusCode code, string body = "{}", params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(code) { Content = new StringContent(body) };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        Requests.Enqueue(new SeenRequest(request.Method, request.RequestUri!, headers, request.Content?.Headers.ContentType?.MediaType, body));
        return answer(Requests.Count);
    }
}
