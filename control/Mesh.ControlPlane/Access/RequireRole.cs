using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.ControlPlane.Access;

/// <summary>
/// Admits a call only with a bearer token whose role satisfies <paramref name="role"/>: 401 without a valid token,
/// 403 naming the needed role otherwise. The caller is kept in <c>HttpContext.Items</c> for authorship.
/// </summary>
public sealed class RequireRole(string role) : IEndpointFilter
{
    private const string CallerKey = "mesh.caller";

    public static Caller CallerOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[CallerKey] as Caller ?? new Caller("anonymous", "");
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        var secret = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var caller = string.IsNullOrEmpty(secret)
            ? null
            : await http.RequestServices.GetRequiredService<TokenService>().AuthenticateAsync(secret, http.RequestAborted).ConfigureAwait(false);
        if (caller is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: "missing or invalid bearer token: send 'Authorization: Bearer <token>' (the first admin token is printed by 'mesh up' and kept in its data dir)");
        }

        if (!Roles.Satisfies(caller.Role, role))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden",
                detail: $"this call needs role '{role}'{(role is Roles.Viewer or Roles.Operator ? " or higher" : " (or admin)")}; token '{caller.Name}' has role '{caller.Role}'",
                extensions: new Dictionary<string, object?> { ["neededRole"] = role, ["role"] = caller.Role });
        }

        http.Items[CallerKey] = caller;
        return await next(context).ConfigureAwait(false);
    }
}
