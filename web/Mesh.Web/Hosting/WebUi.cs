using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Mesh.Web.Hosting;

/// <summary>
/// Serves the built React UI (ui/ next to mesh.dll) on the API port: static files, and index.html for every other
/// path that is not the API, so deep links work. Hashed assets are cached for good; index.html never is, so a new
/// build is picked up on reload. Files go out brotli- or gzip-compressed when the client accepts it (PrecompressedUi).
/// </summary>
internal static class WebUi
{
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "ui");

    public static void MapWebUi(this WebApplication app, int apiPort, string apiHost, string directory)
    {
        var index = Path.Combine(directory, "index.html");
        if (!File.Exists(index))
        {
            app.MapGet("/", () => Results.Text(
                "Mesh is running. API: /api/v1 (bearer admin token), metrics: /metrics.\n" +
                "The web UI was not built (Node.js was missing when Mesh was built): install Node.js 20.19+ and build again.\n"))
                .RequireHost(apiHost);
            return;
        }

        var files = new PhysicalFileProvider(directory);
        app.UseWhen(
            c => c.Connection.LocalPort == apiPort && !c.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal),
            branch => branch
                .Use((c, next) => PrecompressedUi.NegotiateAsync(c, files, next))
                .UseStaticFiles(new StaticFileOptions
                {
                    FileProvider = files,
                    ContentTypeProvider = new PrecompressedUi.ContentTypes(new FileExtensionContentTypeProvider()),
                    OnPrepareResponse = c =>
                    {
                        PrecompressedUi.PrepareResponse(c.Context, c.File.Name);
                        c.Context.Response.Headers.CacheControl =
                            c.Context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal)
                                ? "public, max-age=31536000, immutable"
                                : "no-cache";
                    },
                }));

        // Unknown API paths stay API errors (a problem document), never the UI page.
        app.MapFallback("/api/{**rest}", (HttpContext c) => Results.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Not found",
            detail: $"no API endpoint at {c.Request.Method} {c.Request.Path}")).RequireHost(apiHost);
        app.MapFallback(async (HttpContext c) =>
        {
            c.Response.ContentType = "text/html; charset=utf-8";
            c.Response.Headers[HeaderNames.CacheControl] = "no-cache";
            var picked = PrecompressedUi.Pick(files, "/index.html", c.Request.Headers.AcceptEncoding);
            PrecompressedUi.PrepareResponse(c, picked?.Path ?? "index.html");
            var file = picked is { } p ? Path.Combine(directory, p.Path.TrimStart('/')) : index;
            await c.Response.SendFileAsync(file, c.RequestAborted).ConfigureAwait(false);
        }).RequireHost(apiHost);
    }
}
