namespace Mesh.Proxy.Config;

/// <summary>
/// One rule of a policy. Every non-empty list must match (AND); within a list any entry may (OR). An entry ending
/// in <c>*</c> matches by prefix; <c>*</c> alone matches anything (in identities and namespaces: any verified peer,
/// never a plaintext caller without an identity).
/// </summary>
public sealed record AuthorizationRuleConfig
{
    /// <summary>SPIFFE ids of the verified mTLS peer.</summary>
    public IReadOnlyList<string> Identities { get; init; } = [];

    /// <summary>Namespaces of the verified mTLS peer (from its SPIFFE id).</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Request paths (exact, or prefix with a trailing <c>*</c>).</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>HTTP methods, case-insensitive.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];
}
