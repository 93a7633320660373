namespace Mesh.Proxy.Config;

/// <summary>Exactly one of the three is set.</summary>
public sealed record PathMatch
{
    public string? Exact { get; init; }

    /// <summary>Segment-aware prefix: <c>/api</c> matches <c>/api</c> and <c>/api/x</c>, not <c>/apix</c>.</summary>
    public string? Prefix { get; init; }

    /// <summary>.NET regular expression matched against the whole path.</summary>
    public string? Regex { get; init; }
}
