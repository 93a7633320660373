using Mesh.Ingest.Receivers;
using Microsoft.AspNetCore.Http;

namespace Mesh.Web.Api;

/// <summary>Requires the admin bearer token on every API call (roles arrive with the control plane).</summary>
internal sealed class ApiAuth(IReadOnlyList<string> tokens) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (BearerToken.IsValid(context.HttpContext.Request, tokens))
        {
            return next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return ValueTask.FromResult<object?>(Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            detail: "missing or invalid bearer token: send 'Authorization: Bearer <admin token>' (printed by 'mesh up')"));
    }
}
