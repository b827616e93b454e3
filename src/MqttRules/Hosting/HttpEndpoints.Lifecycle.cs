using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MqttRules.Lifecycle;

namespace MqttRules.Hosting;

/// <summary>
/// The lifecycle commands over HTTP (token-protected like every write): the body is what the MQTT
/// command topic takes (<c>ON</c>/<c>OFF</c>, a duration or <c>off</c>, a series or nothing).
/// </summary>
internal static partial class HttpEndpoints
{
    /// <summary>Bodies longer than this are refused (a duration, a series topic).</summary>
    private const int MaxCommandBody = 64 * 1024;

    private static void MapLifecycle(WebApplication app, HttpWrites writes)
    {
        if (writes.Lifecycle is not { } run)
        {
            return;
        }

        app.MapPost("/api/rules/{id}/enabled", (string id, HttpContext http) => CommandAsync(writes, run, http, CommandKind.Enable, id));
        app.MapPost("/api/rules/{id}/mute", (string id, HttpContext http) => CommandAsync(writes, run, http, CommandKind.MuteRule, id));
        app.MapPost("/api/rules/{id}/ack", (string id, HttpContext http) => CommandAsync(writes, run, http, CommandKind.Ack, id));
        app.MapPost("/api/notifiers/{name}/mute", (string name, HttpContext http) => CommandAsync(writes, run, http, CommandKind.MuteNotifier, name));
    }

    private static async Task<IResult> CommandAsync(HttpWrites writes, Func<LifecycleCommand, Task<CommandResult?>> run, HttpContext http, CommandKind kind, string name)
    {
        if (Unauthorized(writes, http) is { } refused)
        {
            return refused;
        }

        if (http.Request.ContentLength > MaxCommandBody)
        {
            return Results.Text($"413 Payload Too Large: a command body is at most {MaxCommandBody} bytes\n", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        using var reader = new StreamReader(http.Request.Body, System.Text.Encoding.UTF8);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var result = await run(new LifecycleCommand(kind, name, body));
        return result is null
            ? Results.Text("503 Service Unavailable: the engine did not answer in time (stopping, or busy); see the log\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text(result.Message + "\n", statusCode: result.Status);
    }
}
