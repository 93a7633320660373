using Mesh.ControlPlane.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Web.Live;

/// <summary>
/// Maps the live hub behind an API token of at least the viewer role, as the read API: a bearer header, or
/// <c>access_token</c> in the query as browsers' WebSockets must.
/// </summary>
internal static class LiveEndpoints
{
    public const string Path = "/api/v1/live";

    public static void MapLiveHub(this WebApplication app, string apiHost)
    {
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(Path, StringComparison.Ordinal),
            branch => branch.Use(async (context, next) =>
            {
                var caller = Secret(context.Request) is { Length: > 0 } secret
                    ? await context.RequestServices.GetRequiredService<TokenService>().AuthenticateAsync(secret, context.RequestAborted).ConfigureAwait(false)
                    : null;
                if (caller is not null && Roles.Satisfies(caller.Role, Roles.Viewer))
                {
                    await next(context).ConfigureAwait(false);
                    return;
                }

                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Results.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Unauthorized",
                    detail: "missing or invalid API token: send 'Authorization: Bearer <token>' or '?access_token=<token>'").ExecuteAsync(context).ConfigureAwait(false);
            }));
        app.MapHub<GraphHub>(Path).RequireHost(apiHost);
    }

    private static string? Secret(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : request.Query["access_token"].ToString();
    }
}
