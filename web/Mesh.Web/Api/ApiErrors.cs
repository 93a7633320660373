using Mesh.Core.Storage;
using Microsoft.AspNetCore.Http;

namespace Mesh.Web.Api;

/// <summary>Maps the API's named errors to RFC 7807 ProblemDetails: bad parameters → 400, store outages → 503.</summary>
internal sealed class ApiErrors : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (ApiParameterException ex)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: $"Invalid parameter '{ex.Parameter}'",
                detail: $"{ex.Parameter}: {ex.Message}",
                extensions: new Dictionary<string, object?> { ["parameter"] = ex.Parameter });
        }
        catch (StoreUnavailableException ex)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Store unavailable",
                detail: $"the span/log store cannot be reached: {ex.Message}");
        }
    }
}
