namespace Mesh.Proxy.Config;

public sealed record FaultDelay
{
    public TimeSpan Duration { get; init; }

    /// <summary>0-100.</summary>
    public double Percent { get; init; }
}
