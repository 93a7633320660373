using System.Net;
using Mesh.Proxy.Config;
using HttpProtocol = Mesh.Proxy.Config.HttpProtocol;
using Mesh.Proxy.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mesh.Proxy.Forwarding;

/// <summary>Builds the upstream request for one try: target, version, end-to-end headers, trace context, body.</summary>
internal static class UpstreamRequest
{
    public static HttpRequestMessage Create(HttpContext context, EndpointState endpoint, ClusterConfig cluster, RequestBody body, string traceparent, HeaderRewrite? rewrite, bool upgrade)
    {
        var request = context.Request;
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;

        // The raw target keeps the client's exact encoding (%2F stays %2F); absolute-form targets (an app using
        // the proxy as an HTTP proxy) fall back to the decoded path.
        var target = raw is { Length: > 0 } && raw[0] == '/' ? raw : request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        var message = new HttpRequestMessage(HttpMethod.Parse(request.Method), new Uri(endpoint.BaseUri, target))
        {
            Version = Version(cluster.Protocol, request.Protocol, upgrade),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = body.CreateContent(),
        };

        var listed = ForwardedHeaders.ConnectionListed(request.Headers);
        foreach (var (name, values) in request.Headers)
        {
            if (name.StartsWith(':') || (listed?.Contains(name) == true && !KeepOnUpgrade(name, upgrade))
                || (ForwardedHeaders.IsHopByHop(name) && !KeepOnUpgrade(name, upgrade) && !KeepTe(name, values))
                || string.Equals(name, "traceparent", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Host = values.ToString();
                continue;
            }

            // One value (the usual case) goes in as a string: the IEnumerable overload boxes the StringValues.
            var added = values.Count == 1 ? message.Headers.TryAddWithoutValidation(name, values[0]) : message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            if (!added && message.Content is { } content)
            {
                _ = values.Count == 1 ? content.Headers.TryAddWithoutValidation(name, values[0]) : content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        if (upgrade)
        {
            message.Headers.TryAddWithoutValidation("Connection", "Upgrade");
        }

        message.Headers.TryAddWithoutValidation("traceparent", traceparent);
        ForwardedHeaders.Append(message, context);
        if (rewrite is not null)
        {
            Rewrite(message, rewrite);
        }

        return message;
    }

    private static bool KeepOnUpgrade(string name, bool upgrade) => upgrade && string.Equals(name, "Upgrade", StringComparison.OrdinalIgnoreCase);

    // "TE: trailers" is end-to-end in practice: gRPC servers require it to know the client reads trailers.
    private static bool KeepTe(string name, Microsoft.Extensions.Primitives.StringValues values) =>
        string.Equals(name, "TE", StringComparison.OrdinalIgnoreCase) && ForwardedHeaders.IsTrailersOnly(values);

    private static Version Version(HttpProtocol protocol, string downstream, bool upgrade) => protocol switch
    {
        _ when upgrade => HttpVersion.Version11,
        HttpProtocol.Http1 => HttpVersion.Version11,
        HttpProtocol.Http2 => HttpVersion.Version20,
        _ => Microsoft.AspNetCore.Http.HttpProtocol.IsHttp2(downstream) ? HttpVersion.Version20 : HttpVersion.Version11,
    };

    private static void Rewrite(HttpRequestMessage message, HeaderRewrite rewrite)
    {
        foreach (var name in rewrite.Remove)
        {
            message.Headers.Remove(name);
            message.Content?.Headers.Remove(name);
        }

        foreach (var (name, value) in rewrite.Set)
        {
            message.Headers.Remove(name);
            message.Headers.TryAddWithoutValidation(name, value);
        }

        foreach (var (name, value) in rewrite.Add)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
    }
}
