using Microsoft.AspNetCore.Http;

namespace Mesh.Web.Demo;

/// <summary>Maps the demo's named errors to ProblemDetails: not running → 404, a demo process down → 503.</summary>
internal sealed class DemoErrors : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (DemoNotRunningException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Demo not running", detail: ex.Message);
        }
        catch (DemoUnavailableException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Demo process unavailable", detail: ex.Message);
        }
        catch (Mesh.ControlPlane.Client.MeshApiException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Control plane refused the change", detail: ex.Message);
        }
    }
}
