using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Mesh.Proxy.Forwarding;

/// <summary>
/// Header rules of a proxy (RFC 9110 section 7.6.1): hop-by-hop fields, and any field the Connection header
/// names, stay on their hop; X-Forwarded-For/Proto/Host and Forwarded (RFC 7239) record the hop taken.
/// </summary>
internal static class ForwardedHeaders
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
        "Proxy-Authenticate", "Proxy-Authorization",
    };

    public static bool IsHopByHop(string name) => HopByHop.Contains(name);

    /// <summary>Fields listed in Connection (they are hop-by-hop too). Null when there are none.</summary>
    public static HashSet<string>? ConnectionListed(IHeaderDictionary headers)
    {
        var connection = headers.Connection;
        if (connection.Count == 0)
        {
            return null;
        }

        HashSet<string>? listed = null;
        foreach (var value in connection)
        {
            foreach (var token in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                (listed ??= new(StringComparer.OrdinalIgnoreCase)).Add(token);
            }
        }

        return listed;
    }

    public static void Append(HttpRequestMessage upstream, HttpContext downstream)
    {
        var remote = downstream.Connection.RemoteIpAddress;
        var forIp = remote?.IsIPv4MappedToIPv6 == true ? remote.MapToIPv4() : remote;
        var forText = forIp?.ToString() ?? "unknown";
        var request = downstream.Request;

        var xff = request.Headers["X-Forwarded-For"];
        upstream.Headers.Remove("X-Forwarded-For");
        upstream.Headers.TryAddWithoutValidation("X-Forwarded-For", xff.Count == 0 ? forText : $"{xff}, {forText}");
        if (!request.Headers.ContainsKey("X-Forwarded-Proto"))
        {
            upstream.Headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
        }

        if (!request.Headers.ContainsKey("X-Forwarded-Host") && request.Host.HasValue)
        {
            upstream.Headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);
        }

        var node = forIp?.AddressFamily == AddressFamily.InterNetworkV6 ? $"\"[{forText}]\"" : forText;
        var element = $"for={node};proto={request.Scheme}" + (request.Host.HasValue ? $";host=\"{request.Host.Value}\"" : "");
        var forwarded = request.Headers["Forwarded"];
        upstream.Headers.Remove("Forwarded");
        upstream.Headers.TryAddWithoutValidation("Forwarded", forwarded.Count == 0 ? element : $"{forwarded}, {element}");
    }

    public static bool IsTrailersOnly(StringValues te) =>
        te.Count > 0 && te.All(v => v is not null && v.Split(',', StringSplitOptions.TrimEntries).All(t => string.Equals(t, "trailers", StringComparison.OrdinalIgnoreCase)));

    public static IPAddress? Normalize(IPAddress? address) => address?.IsIPv4MappedToIPv6 == true ? address.MapToIPv4() : address;
}
