using Mesh.Demo.Topology;

namespace Mesh.Web.Demo;

/// <summary>
/// The demo's ports, all from one base so a test can move the whole demo to a free range:
/// base+offset is each service itself, +20 the load generator's API, +30+offset each inbound sidecar,
/// +40+offset each outbound sidecar, +50+offset each sidecar's admin port (<see cref="Span"/> ports in all).
/// </summary>
internal sealed record DemoPorts(int BasePort)
{
    /// <summary>How many ports from the base the demo may use.</summary>
    public const int Span = 60;

    public int App(DemoServiceInstance instance) => BasePort + instance.PortOffset;

    public int Inbound(DemoServiceInstance instance) => BasePort + 30 + instance.PortOffset;

    public int Outbound(DemoServiceInstance instance) => BasePort + 40 + instance.PortOffset;

    public int SidecarAdmin(DemoServiceInstance instance) => BasePort + 50 + instance.PortOffset;

    public int Load => BasePort + DemoTopology.LoadPortOffset;
}
