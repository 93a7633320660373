namespace Mesh.Proxy.Config;

/// <summary>A port the proxy accepts requests on.</summary>
public sealed record ListenerConfig
{
    public string Name { get; init; } = "";

    public string Address { get; init; } = "127.0.0.1";

    public int Port { get; init; }

    public ListenerMode Mode { get; init; } = ListenerMode.Ingress;

    /// <summary>Auto: HTTP/1.1 + h2c upgrade-free HTTP/2 by ALPN on TLS; Http2 alone gives h2c prior knowledge.</summary>
    public HttpProtocol Protocol { get; init; } = HttpProtocol.Auto;

    public TlsConfig? Tls { get; init; }

    /// <summary>Largest request header block accepted; larger requests get 431.</summary>
    public int MaxRequestHeadersBytes { get; init; } = 32 * 1024;
}
