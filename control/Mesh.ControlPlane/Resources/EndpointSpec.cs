namespace Mesh.ControlPlane.Resources;

/// <summary>A static endpoint of a service (for instances without a registering proxy).</summary>
internal sealed record EndpointSpec
{
    public string Service { get; init; } = "";

    public string Address { get; init; } = "";

    public int Port { get; init; }

    public string? Version { get; init; }

    public int Weight { get; init; } = 100;
}
