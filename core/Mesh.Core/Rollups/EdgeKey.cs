namespace Mesh.Core.Rollups;

/// <summary>
/// The identity of one rollup series: who called whom, through which endpoint and route. Strings are never null
/// (empty when unknown), so a key compares and hashes by value in memory and in every store.
/// </summary>
public readonly record struct EdgeKey
{
    public required string SourceService { get; init; }

    public string SourceVersion { get; init; } = string.Empty;

    public string SourceNamespace { get; init; } = string.Empty;

    public NodeKind SourceKind { get; init; }

    public required string DestinationService { get; init; }

    public string DestinationVersion { get; init; } = string.Empty;

    public string DestinationNamespace { get; init; } = string.Empty;

    public NodeKind DestinationKind { get; init; }

    /// <summary>The upstream endpoint as <c>address:port</c>, or empty.</summary>
    public string DestinationEndpoint { get; init; } = string.Empty;

    /// <summary>The mesh route name, else the HTTP route template, else empty.</summary>
    public string Route { get; init; } = string.Empty;

    public EdgeKey()
    {
    }
}
