namespace Mesh.Proxy.Config;

/// <summary>Every condition set must hold (AND); within a list, any entry may (OR).</summary>
public sealed record RouteMatch
{
    /// <summary>Host/authority names (port ignored); <c>*.example.com</c> matches subdomains; empty matches any.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    public PathMatch? Path { get; init; }

    /// <summary>HTTP methods; empty matches any.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    public IReadOnlyList<ValueMatch> Headers { get; init; } = [];

    public IReadOnlyList<ValueMatch> Query { get; init; } = [];
}
