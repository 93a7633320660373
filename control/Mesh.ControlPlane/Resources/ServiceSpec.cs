namespace Mesh.ControlPlane.Resources;

/// <summary>A service in the mesh: its ports. Its endpoints arrive by registration (or as static Endpoint resources).</summary>
internal sealed record ServiceSpec
{
    public IReadOnlyList<ServicePort> Ports { get; init; } = [];
}
