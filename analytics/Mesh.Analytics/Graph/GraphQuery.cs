namespace Mesh.Analytics.Graph;

/// <summary>Which part of the map to draw: a window (any past one too) and optional narrowing.</summary>
public sealed record GraphQuery
{
    /// <summary>Unix seconds, inclusive; rounded down to the 10 s bucket.</summary>
    public required long StartUnixSeconds { get; init; }

    /// <summary>Unix seconds, exclusive; rounded up to the 10 s bucket.</summary>
    public required long EndUnixSeconds { get; init; }

    /// <summary>Only edges with an end in this namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>Only edges with this service at one end.</summary>
    public string? Service { get; init; }
}
