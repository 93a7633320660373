using Mesh.Analytics.Health;
using Mesh.Core.Rollups;

namespace Mesh.Analytics.Graph;

/// <summary>A node of the map: a service (or a virtual database/external node), with what it receives.</summary>
public sealed record GraphNode
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public required NodeKind Kind { get; init; }

    public required IReadOnlyList<string> Versions { get; init; }

    /// <summary>Destination endpoints (address:port) requests reached it on.</summary>
    public required IReadOnlyList<string> Endpoints { get; init; }

    /// <summary>Requests received in the window.</summary>
    public required long Requests { get; init; }

    public required double Rps { get; init; }

    public required double ErrorRate { get; init; }

    public required HealthReport Health { get; init; }
}
