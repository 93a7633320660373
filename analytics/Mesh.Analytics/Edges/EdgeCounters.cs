namespace Mesh.Analytics.Edges;

/// <summary>What <see cref="EdgeExtractor"/> did with the spans it saw; a snapshot, for metrics and tests.</summary>
public sealed record EdgeCounters
{
    /// <summary>Edges counted from mesh proxy spans.</summary>
    public long ProxyEdges { get; init; }

    /// <summary>Inbound proxy spans not counted because a mesh outbound span (their parent) already counted the request.</summary>
    public long InboundDeduplicated { get; init; }

    /// <summary>SDK client spans paired with the SDK server span they caused, in another service.</summary>
    public long Paired { get; init; }

    /// <summary>SDK client spans that found no server span in the window, and named no peer to draw instead.</summary>
    public long UnpairedClients { get; init; }

    /// <summary>SDK server spans whose client span (their parent) did not arrive in the window: counted from "unknown".</summary>
    public long UnpairedServers { get; init; }

    /// <summary>Edges to virtual nodes (databases, uninstrumented externals).</summary>
    public long VirtualEdges { get; init; }

    /// <summary>Spans settled before their window ended because too many were waiting.</summary>
    public long Overflowed { get; init; }

    /// <summary>Spans waiting for a partner now.</summary>
    public long Pending { get; init; }
}
