namespace Mesh.ControlPlane.Resources;

/// <summary>Every non-empty list must match (AND); within a list any entry may (OR). Entries may end in <c>*</c> (prefix).</summary>
internal sealed record AuthorizationRule
{
    /// <summary>Source identities (SPIFFE ids) of the mTLS peer.</summary>
    public IReadOnlyList<string> Identities { get; init; } = [];

    /// <summary>Source namespaces of the mTLS peer.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public IReadOnlyList<string> Paths { get; init; } = [];

    public IReadOnlyList<string> Methods { get; init; } = [];
}
