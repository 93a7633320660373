namespace Mesh.Proxy.Config;

public sealed record FaultAbort
{
    /// <summary>HTTP status returned instead of forwarding.</summary>
    public int Status { get; init; } = 503;

    /// <summary>0-100.</summary>
    public double Percent { get; init; }
}
