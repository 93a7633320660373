using System.Net;
using System.Text.Json;

namespace Mesh.Demo.Hosting;

/// <summary>What another service answered: its status and JSON body (<see cref="JsonValueKind.Undefined"/> when it had none).</summary>
internal sealed record UpstreamResponse(string Service, HttpStatusCode Status, JsonElement Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>
    /// Relays a failed call to our own caller: a 4xx is the caller's problem and passes through; a 5xx or an
    /// unreachable service is ours, answered 502 naming the service.
    /// </summary>
    public IResult ToFailure()
    {
        var code = (int)Status;
        if (code is >= 400 and < 500)
        {
            return Results.Json(Body.ValueKind == JsonValueKind.Undefined ? new ErrorBody($"{Service} answered {code}") : Body, statusCode: code);
        }

        var detail = Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("error", out var e) ? $": {e}" : string.Empty;
        return Results.Json(new ErrorBody($"{Service} failed ({code}){detail}"), statusCode: StatusCodes.Status502BadGateway);
    }
}
