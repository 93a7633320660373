namespace Mesh.Web.Demo;

/// <summary>How <c>mesh up --demo</c> runs the demo store; <see cref="Enabled"/> false runs the platform alone.</summary>
internal sealed record DemoSettings
{
    public bool Enabled { get; init; }

    /// <summary>First port of the demo's range (services, sidecars, load generator): <see cref="DemoPorts"/>.</summary>
    public int BasePort { get; init; } = 15000;

    public DemoSidecarMode Sidecars { get; init; } = DemoSidecarMode.ControlPlane;

    /// <summary>Mean journeys per second of the load generator.</summary>
    public double Rps { get; init; } = 5;
}
