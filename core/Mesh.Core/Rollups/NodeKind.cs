namespace Mesh.Core.Rollups;

/// <summary>What a node of the application map stands for.</summary>
public enum NodeKind
{
    /// <summary>A service that sends telemetry (through a mesh proxy or an OpenTelemetry SDK).</summary>
    Service = 0,

    /// <summary>A database seen only from its clients' spans (<c>db.system</c>): a virtual node.</summary>
    Database = 1,

    /// <summary>
    /// A peer seen only from the other side: an uninstrumented service (<c>server.address</c>, <c>peer.service</c>)
    /// or an unknown caller outside the mesh. A virtual node.
    /// </summary>
    External = 2,

    /// <summary>An ingress gateway.</summary>
    Ingress = 3,
}
