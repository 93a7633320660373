namespace Mesh.Proxy.Config;

/// <summary>The admin port: /metrics, /ready, /config_dump, /stats and the endpoint-weight API.</summary>
public sealed record AdminConfig
{
    public string Address { get; init; } = "127.0.0.1";

    public int Port { get; init; }
}
