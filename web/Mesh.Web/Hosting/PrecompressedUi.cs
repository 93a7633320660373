using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Mesh.Web.Hosting;

/// <summary>
/// The UI build ships a brotli (.br) and a gzip (.gz) copy beside each text file (web/ui/vite.config.ts). A request
/// whose Accept-Encoding allows one gets that file, with its Content-Encoding and the original file's type; others
/// get the plain file. Every answer says Vary: Accept-Encoding, so a cache never hands one client's encoding to another.
/// </summary>
internal static class PrecompressedUi
{
    private static readonly (string Encoding, string Extension)[] Encodings = [("br", ".br"), ("gzip", ".gz")];

    /// <summary>
    /// The precompressed sibling of <paramref name="path"/> to send for <paramref name="acceptEncoding"/>, brotli first,
    /// or null when the client accepts neither or the build has none.
    /// </summary>
    public static (string Path, string Encoding)? Pick(IFileProvider files, string path, StringValues acceptEncoding)
    {
        if (acceptEncoding.Count == 0 || !StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var accepted))
        {
            return null;
        }

        foreach (var (encoding, extension) in Encodings)
        {
            if (Accepts(accepted, encoding) && files.GetFileInfo(path + extension) is { Exists: true, IsDirectory: false })
            {
                return (path + extension, encoding);
            }
        }

        return null;
    }

    /// <summary>Rewrites the request to the sibling file the client accepts, if any (before the static file middleware).</summary>
    public static Task NegotiateAsync(HttpContext context, IFileProvider files, RequestDelegate next)
    {
        var request = context.Request;
        if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path.HasValue && !request.Headers.ContainsKey(HeaderNames.Range))
        {
            var picked = Pick(files, request.Path.Value!, request.Headers.AcceptEncoding);
            if (picked is { } p)
            {
                request.Path = p.Path;
            }
        }

        return next(context);
    }

    /// <summary>Headers for a served UI file: its encoding (from a .br/.gz name) and Vary.</summary>
    public static void PrepareResponse(HttpContext context, string fileName)
    {
        var headers = context.Response.Headers;
        headers.Vary = HeaderNames.AcceptEncoding;
        foreach (var (encoding, extension) in Encodings)
        {
            if (fileName.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                headers.ContentEncoding = encoding;
            }
        }
    }

    private static bool Accepts(IList<StringWithQualityHeaderValue> accepted, string encoding)
    {
        double? star = null;
        foreach (var a in accepted)
        {
            if (StringSegment.Equals(a.Value, encoding, StringComparison.OrdinalIgnoreCase))
            {
                return (a.Quality ?? 1) > 0;
            }

            if (a.Value == "*")
            {
                star = a.Quality ?? 1;
            }
        }

        return star > 0;
    }

    /// <summary>Content types by the file's name without its .br/.gz suffix, so a precompressed copy keeps its type.</summary>
    internal sealed class ContentTypes(IContentTypeProvider inner) : IContentTypeProvider
    {
        public bool TryGetContentType(string subpath, out string contentType)
        {
            foreach (var (_, extension) in Encodings)
            {
                if (subpath.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
                {
                    return inner.TryGetContentType(subpath[..^extension.Length], out contentType!);
                }
            }

            return inner.TryGetContentType(subpath, out contentType!);
        }
    }
}
