using System.Text.Json.Serialization;

namespace Mesh.Proxy.Config;

/// <summary>HTTP versions a listener accepts or a cluster speaks.</summary>
public enum HttpProtocol
{
    /// <summary>HTTP/1.1 and, with TLS, HTTP/2 by ALPN.</summary>
    [JsonStringEnumMemberName("auto")]
    Auto,

    [JsonStringEnumMemberName("http1")]
    Http1,

    /// <summary>HTTP/2 only; without TLS this is h2c with prior knowledge (what gRPC clients use).</summary>
    [JsonStringEnumMemberName("http2")]
    Http2,
}
