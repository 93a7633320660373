namespace Mesh.Analytics.Graph;

/// <summary>The application map over one window.</summary>
public sealed record ServiceGraph(long StartUnixSeconds, long EndUnixSeconds, IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges);
