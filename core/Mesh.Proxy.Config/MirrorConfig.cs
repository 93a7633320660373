namespace Mesh.Proxy.Config;

/// <summary>Shadows a percentage of requests to another cluster; its responses are discarded.</summary>
public sealed record MirrorConfig
{
    public string Cluster { get; init; } = "";

    /// <summary>0-100.</summary>
    public double Percent { get; init; } = 100;
}
