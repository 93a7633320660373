using Mesh.Ingest.Receivers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mesh.Web.Live;

/// <summary>Maps the live hub behind the admin token: a bearer header, or <c>access_token</c> in the query as browsers' WebSockets must.</summary>
internal static class LiveEndpoints
{
    public const string Path = "/api/v1/live";

    public static void MapLiveHub(this WebApplication app, string apiHost, IReadOnlyList<string> tokens)
    {
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(Path, StringComparison.Ordinal),
            branch => branch.Use(async (context, next) =>
            {
                if (BearerToken.IsValid(context.Request, tokens) || QueryTokenValid(context.Request, tokens))
                {
                    await next(context).ConfigureAwait(false);
                    return;
                }

                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Results.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Unauthorized",
                    detail: "missing or invalid admin token: send 'Authorization: Bearer <admin token>' or '?access_token=<admin token>'").ExecuteAsync(context).ConfigureAwait(false);
            }));
        app.MapHub<GraphHub>(Path).RequireHost(apiHost);
    }

    private static bool QueryTokenValid(HttpRequest request, IReadOnlyList<string> tokens) =>
        request.Query["access_token"].ToString() is { Length: > 0 } presented && BearerToken.Matches(presented, tokens);
}
