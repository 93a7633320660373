namespace Mesh.ControlPlane.Resources;

/// <summary>An arm of a split: a version subset of the route's service (or of another service) and its weight.</summary>
internal sealed record SplitArm
{
    public string? Service { get; init; }

    public string? Version { get; init; }

    public int Weight { get; init; }
}
