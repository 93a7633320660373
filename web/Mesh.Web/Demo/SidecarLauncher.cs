using System.Globalization;
using Mesh.Demo.Topology;
using Mesh.Proxy.Config;

namespace Mesh.Web.Demo;

/// <summary>
/// The one seam between the demo and the proxy's command line: what to run as an instance's sidecar.
/// <see cref="DemoSidecarMode.Static"/> writes a generated config (<c>sidecars/&lt;instance&gt;.json</c>) and runs
/// <c>mesh proxy --config</c>; a split change rewrites the files, which the proxies reload.
/// <see cref="DemoSidecarMode.ControlPlane"/> runs <c>mesh proxy --control-plane</c>, which takes routes,
/// endpoints and mTLS certificates from the control plane.
/// </summary>
internal sealed class SidecarLauncher(DemoContext context, string proxyToken)
{
    public DemoSidecarMode Mode => context.Settings.Sidecars;

    public ChildSpec Build(DemoServiceInstance instance, CanarySplit split)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var ports = context.Ports;
        var args = new List<string> { context.MeshDll, "proxy" };
        if (Mode == DemoSidecarMode.Static)
        {
            args.AddRange(["--config", WriteConfig(instance, split)]);
        }
        else
        {
            args.AddRange(
            [
                "--control-plane", context.ApiUrl.ToString(), "--token", proxyToken,
                "--namespace", StaticSidecarConfig.Namespace, "--service", instance.Service, "--version", instance.Version,
                "--inbound-port", Text(ports.Inbound(instance)), "--app-port", Text(ports.App(instance)),
                "--admin-port", Text(ports.SidecarAdmin(instance)),
            ]);
            if (instance.Calls.Count > 0)
            {
                args.AddRange(["--outbound-port", Text(ports.Outbound(instance))]);
            }
        }

        return new ChildSpec(instance.InstanceName + "-sidecar", context.Dotnet, args, new Uri($"http://127.0.0.1:{Text(ports.SidecarAdmin(instance))}/ready"))
        {
            Environment = DemoContext.ChildEnvironment,
        };
    }

    /// <summary>Static mode: rewrites every sidecar file that routes to the canary (atomically; the proxies reload it).</summary>
    public void ApplySplit(CanarySplit split)
    {
        if (Mode != DemoSidecarMode.Static)
        {
            return;
        }

        foreach (var instance in DemoTopology.Instances.Append(DemoPorts.LoadInstance).Where(i => i.Calls.Contains(DemoTopology.CanaryService)))
        {
            WriteConfig(instance, split);
        }
    }

    private string WriteConfig(DemoServiceInstance instance, CanarySplit split)
    {
        Directory.CreateDirectory(context.SidecarDirectory);
        var path = Path.Combine(context.SidecarDirectory, instance.InstanceName + ".json");
        var config = StaticSidecarConfig.Build(instance, context.Ports, split, context.OtlpHttpUrl, context.IngestToken);
        var temp = path + ".tmp";
        File.WriteAllText(temp, ProxyConfigSerializer.ToJson(config, indented: true));
        File.Move(temp, path, overwrite: true);
        return path;
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
