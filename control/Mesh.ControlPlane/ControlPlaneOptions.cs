using Mesh.ControlPlane.Decisions;
using Mesh.ControlPlane.Distribution;
using Mesh.ControlPlane.Identity;

namespace Mesh.ControlPlane;

/// <summary>Settings of the control plane as the host passes them.</summary>
public sealed record ControlPlaneOptions
{
    public required CaOptions Ca { get; init; }

    public DistributionOptions Distribution { get; init; } = new();

    public DecisionLimits Limits { get; init; } = new();
}
