namespace Mesh.ControlPlane.Resources;

/// <summary>Shadow traffic to another service; its responses are discarded.</summary>
internal sealed record RouteMirror
{
    public string Service { get; init; } = "";

    public double Percent { get; init; } = 100;
}
