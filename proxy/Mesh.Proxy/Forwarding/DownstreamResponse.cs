using System.Buffers;
using Mesh.Proxy.Config;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mesh.Proxy.Forwarding;

/// <summary>Copies an upstream response downstream: status, end-to-end headers, the body as it streams, trailers.</summary>
internal static class DownstreamResponse
{
    public static void CopyHead(HttpContext context, HttpResponseMessage upstream, HeaderRewrite? rewrite)
    {
        var response = context.Response;
        response.StatusCode = (int)upstream.StatusCode;
        var listed = upstream.Headers.Connection.Count == 0 ? null : upstream.Headers.Connection.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var upgraded = response.StatusCode == StatusCodes.Status101SwitchingProtocols;
        foreach (var header in upstream.Headers.NonValidated.Concat(upstream.Content.Headers.NonValidated))
        {
            var name = header.Key;
            var keptForUpgrade = upgraded && (name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase));
            if (!keptForUpgrade && (ForwardedHeaders.IsHopByHop(name) || listed?.Contains(name) == true))
            {
                continue;
            }

            response.Headers.Append(name, new Microsoft.Extensions.Primitives.StringValues([.. header.Value]));
        }

        if (rewrite is not null)
        {
            foreach (var name in rewrite.Remove)
            {
                response.Headers.Remove(name);
            }

            foreach (var (name, value) in rewrite.Set)
            {
                response.Headers[name] = value;
            }

            foreach (var (name, value) in rewrite.Add)
            {
                response.Headers.Append(name, value);
            }
        }
    }

    /// <summary>Streams the body; returns bytes copied. Throws on either side failing (the caller aborts the downstream).</summary>
    public static async Task<long> CopyBodyAsync(HttpContext context, Stream upstreamBody, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        long total = 0;
        try
        {
            var body = context.Response.Body;
            int n;
            while ((n = await upstreamBody.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                // Kestrel's response stream flushes each write, so streamed responses (gRPC, SSE) are not held back.
                await body.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                total += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return total;
    }

    public static void CopyTrailers(HttpContext context, HttpResponseMessage upstream)
    {
        if (upstream.TrailingHeaders.NonValidated.Count == 0)
        {
            return;
        }

        var feature = context.Features.Get<IHttpResponseTrailersFeature>();
        if (feature?.Trailers is not { IsReadOnly: false } trailers)
        {
            return;
        }

        foreach (var header in upstream.TrailingHeaders.NonValidated)
        {
            trailers.Append(header.Key, new Microsoft.Extensions.Primitives.StringValues([.. header.Value]));
        }
    }
}
