namespace Mesh.Demo.Topology;

/// <summary>
/// One process of the demo store: the service it is (its mesh name and Host header), the version it reports,
/// its port as an offset from the demo's base port, the services it calls, and — for a canary — the share
/// of its service's traffic it should start with.
/// </summary>
/// <param name="Service">Service name: the <c>mesh-demo</c> subcommand and the Host header callers use.</param>
/// <param name="Version">Version label (<c>--version</c>); a canary is two instances of one service with different versions.</param>
/// <param name="PortOffset">Added to the demo's base port to get the service's own (inbound, app-side) port.</param>
/// <param name="Calls">Services this instance calls through its outbound sidecar.</param>
/// <param name="InitialWeight">Initial traffic weight among the instances of the same service (percent).</param>
public sealed record DemoServiceInstance(string Service, string Version, int PortOffset, IReadOnlyList<string> Calls, int InitialWeight = 100)
{
    /// <summary>Whether this instance keeps files under its data dir (inventory's SQLite).</summary>
    public bool Stateful => Service == "inventory";

    /// <summary>A name unique among the instances, e.g. <c>catalog-v2</c>.</summary>
    public string InstanceName => $"{Service}-{Version}";
}
