namespace Mesh.Proxy.Config;

/// <summary>A header or query parameter condition: at most one of Exact/Prefix/Regex; none means "present".</summary>
public sealed record ValueMatch
{
    public string Name { get; init; } = "";

    public string? Exact { get; init; }

    public string? Prefix { get; init; }

    public string? Regex { get; init; }

    /// <summary>Match when the condition does NOT hold (including when the value is absent).</summary>
    public bool Invert { get; init; }
}
