using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace MqttRules.Hosting;

/// <summary>What the endpoints that change something do, and the token they require.</summary>
public sealed record HttpWrites(HttpToken Token, Func<Task<ReloadOutcome?>> Reload)
{
    /// <summary>Runs a lifecycle command (<c>POST /api/rules/{id}/enabled</c>...); null: the endpoints are off.</summary>
    public Func<Lifecycle.LifecycleCommand, Task<Lifecycle.CommandResult?>>? Lifecycle { get; init; }
}

/// <summary>
/// The endpoints that change something: only with a token configured (else they do not exist: 404),
/// and only for a request sent with <c>Authorization: Bearer &lt;token&gt;</c> (else 401).
/// </summary>
internal static partial class HttpEndpoints
{
    private static void MapWrites(WebApplication app, HttpWrites? writes)
    {
        if (writes is null)
        {
            return;
        }

        MapLifecycle(app, writes);
        app.MapPost("/-/reload", async (HttpContext http) =>
        {
            if (Unauthorized(writes, http) is { } refused)
            {
                return refused;
            }

            var outcome = await writes.Reload();
            if (outcome is null)
            {
                return Results.Text("503 Service Unavailable: the rules cannot be reloaded now (stopping, or not loaded from a path); see the log\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            return outcome.Ok
                ? Results.Text($"Reloaded: {outcome.Summary}\n")
                : Results.Text($"Reload failed; the previous rules keep running:\n{string.Join('\n', outcome.Problems)}\n", statusCode: StatusCodes.Status500InternalServerError);
        });
    }

    /// <summary>401 with <c>WWW-Authenticate: Bearer</c> unless the request carries the token; null when it does.</summary>
    private static IResult? Unauthorized(HttpWrites writes, HttpContext http)
    {
        if (writes.Token.Accepts(http.Request.Headers.Authorization))
        {
            return null;
        }

        http.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return Results.Text("401 Unauthorized: send Authorization: Bearer <MQTTRULES_HTTP_TOKEN>\n", statusCode: StatusCodes.Status401Unauthorized);
    }
}
