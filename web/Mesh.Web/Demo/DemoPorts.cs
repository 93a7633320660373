using Mesh.Demo.Topology;

namespace Mesh.Web.Demo;

/// <summary>
/// The demo's ports, all from one base so a test can move the whole demo to a free range:
/// base+offset is each service itself, +20 the load generator's API, +30+offset each inbound sidecar (the load generator's sidecar has offset 8),
/// +40+offset each outbound sidecar, +50+offset each sidecar's admin port (<see cref="Span"/> ports in all).
/// </summary>
internal sealed record DemoPorts(int BasePort)
{
    /// <summary>How many ports from the base the demo may use.</summary>
    public const int Span = 60;

    /// <summary>The service's own port; for <see cref="LoadInstance"/> the load generator's API (base+20).</summary>
    public int App(DemoServiceInstance instance) => instance == LoadInstance ? Load : BasePort + instance.PortOffset;

    public int Inbound(DemoServiceInstance instance) => BasePort + 30 + instance.PortOffset;

    public int Outbound(DemoServiceInstance instance) => BasePort + 40 + instance.PortOffset;

    public int SidecarAdmin(DemoServiceInstance instance) => BasePort + 50 + instance.PortOffset;

    public int Load => BasePort + DemoTopology.LoadPortOffset;

    /// <summary>
    /// The load generator as a mesh member (offset 8): it sends through its own sidecar, so its calls to the frontend
    /// are mTLS under STRICT and the map shows them as <c>load → frontend</c>.
    /// </summary>
    public static DemoServiceInstance LoadInstance { get; } = new("load", "v1", 8, [DemoTopology.EntryService]);
}
