using System.Buffers;
using System.Net.Http.Headers;
using Microsoft.Extensions.Primitives;
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
        var listed = ConnectionListed(upstream);
        var upgraded = response.StatusCode == StatusCodes.Status101SwitchingProtocols;
        foreach (var header in upstream.Headers.NonValidated)
        {
            Copy(response, header.Key, header.Value, listed, upgraded);
        }

        foreach (var header in upstream.Content.Headers.NonValidated)
        {
            Copy(response, header.Key, header.Value, listed, upgraded);
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

    private static void Copy(HttpResponse response, string name, HeaderStringValues values, HashSet<string>? listed, bool upgraded)
    {
        var keptForUpgrade = upgraded && (name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase));
        if (!keptForUpgrade && (ForwardedHeaders.IsHopByHop(name) || listed?.Contains(name) == true))
        {
            return;
        }

        response.Headers.Append(name, Values(values));
    }

    private static StringValues Values(HeaderStringValues values)
    {
        if (values.Count == 1)
        {
            foreach (var v in values)
            {
                return v;
            }
        }

        return new StringValues([.. values]);
    }

    /// <summary>
    /// Field names the upstream's Connection header lists (hop-by-hop); null when it names none beyond the
    /// "keep-alive"/"close" options (the common case: no set is built).
    /// </summary>
    private static HashSet<string>? ConnectionListed(HttpResponseMessage upstream)
    {
        if (!upstream.Headers.NonValidated.TryGetValues("Connection", out var connection))
        {
            return null;
        }

        HashSet<string>? listed = null;
        foreach (var value in connection)
        {
            foreach (var range in value.AsSpan().Split(','))
            {
                var token = value.AsSpan()[range].Trim();
                if (token.Length == 0 || token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase) || token.Equals("close", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                (listed ??= new(StringComparer.OrdinalIgnoreCase)).Add(token.ToString());
            }
        }

        return listed;
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
            trailers.Append(header.Key, Values(header.Value));
        }
    }
}
