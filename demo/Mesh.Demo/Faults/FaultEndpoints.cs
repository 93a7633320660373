using System.Text.Json;
using Mesh.Demo.Hosting;
using Microsoft.AspNetCore.Routing;

namespace Mesh.Demo.Faults;

/// <summary>The operator's handle on a service's faults: <c>GET|POST|DELETE /_demo/faults</c>.</summary>
internal static class FaultEndpoints
{
    public static void MapFaultEndpoints(this WebApplication app)
    {
        app.MapGet("/_demo/faults", (FaultRegistry faults) => Results.Json(new { faults = faults.Active }, DemoJson.Options));

        app.MapPost("/_demo/faults", async (HttpRequest request, FaultRegistry faults, TimeProvider time, EndpointDataSource endpoints) =>
        {
            JsonElement body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, DemoJson.Options, request.HttpContext.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                return Results.Json(new ErrorBody($"body: not valid JSON ({ex.Message})"), statusCode: StatusCodes.Status400BadRequest);
            }

            if (!FaultRequestParser.TryParse(body, time.GetUtcNow(), ServiceRoutes(endpoints), out var rule, out var error))
            {
                return Results.Json(new ErrorBody(error), statusCode: StatusCodes.Status400BadRequest);
            }

            faults.Set(rule);
            return Results.Json(rule, DemoJson.Options, statusCode: StatusCodes.Status201Created);
        });

        app.MapDelete("/_demo/faults", (string? endpoint, FaultRegistry faults) =>
            Results.Json(new { removed = faults.Clear(endpoint) }, DemoJson.Options));
    }

    /// <summary>The route templates a fault may target: everything but the admin and health endpoints.</summary>
    internal static IReadOnlyCollection<string> ServiceRoutes(EndpointDataSource endpoints) =>
        [.. endpoints.Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText ?? string.Empty)
            .Where(r => r.StartsWith('/') && !r.StartsWith("/_demo", StringComparison.Ordinal) && r != "/healthz")
            .Distinct(StringComparer.OrdinalIgnoreCase)];
}
