namespace Mesh.ControlPlane.Decisions;

/// <summary>Safety limits on automatic ejections: they never take more than a fraction of a service, nor its last healthy endpoints.</summary>
public sealed record DecisionLimits
{
    /// <summary>Largest share (0-1) of a service's endpoints automatic decisions may eject.</summary>
    public double MaxEjectedFraction { get; init; } = 0.5;

    /// <summary>Endpoints of a service that must stay in rotation.</summary>
    public int MinHealthyEndpoints { get; init; } = 1;
}
