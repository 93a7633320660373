using Mesh.ControlPlane.Access;
using Mesh.ControlPlane.Decisions;
using Mesh.ControlPlane.Resources;
using Mesh.Core.Metadata;
using Mesh.Core.Storage;
using Microsoft.AspNetCore.Http;

namespace Mesh.ControlPlane.Api;

/// <summary>Maps the control plane's named errors to ProblemDetails: invalid resources 422 (every error listed), a proxy token acting outside its scope 403, missing 404, conflicts 409.</summary>
internal sealed class ControlPlaneErrors : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (ResourceValidationException ex)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Invalid resources: nothing was changed",
                detail: string.Join("; ", ex.Errors),
                extensions: new Dictionary<string, object?> { ["errors"] = ex.Errors.Select(e => new { resource = e.Resource, path = e.Path, message = e.Message }).ToList() });
        }
        catch (ScopeRefusedException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Outside the token's scope", detail: ex.Message);
        }
        catch (KeyNotFoundException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: ex.Message);
        }
        catch (RevisionConflictException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Concurrent change", detail: ex.Message);
        }
        catch (DecisionRefusedException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Decision refused", detail: ex.Message);
        }
        catch (BadHttpRequestException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: ex.Message);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request body", detail: $"the body is not the expected JSON: {ex.Message}");
        }
        catch (StoreUnavailableException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Metadata store unavailable", detail: ex.Message);
        }
    }
}
