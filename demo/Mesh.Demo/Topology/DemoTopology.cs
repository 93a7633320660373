using System.Globalization;

namespace Mesh.Demo.Topology;

/// <summary>
/// The demo store as data, for whoever starts it (<c>mesh up --demo</c>, the process topology script, tests):
/// which processes to run, on which port offsets, who calls whom (sidecar routes and authorization), and the
/// canary's starting split. Arguments for each process come from <see cref="ServiceArguments"/> and
/// <see cref="LoadArguments"/>, so nobody else has to know the <c>mesh-demo</c> command line.
/// </summary>
public static class DemoTopology
{
    /// <summary>The executable, next to whichever assembly references this project: <c>dotnet mesh-demo.dll …</c>.</summary>
    public const string AssemblyFileName = "mesh-demo.dll";

    /// <summary>The service users reach; the load generator targets it (or an ingress routing to it).</summary>
    public const string EntryService = "frontend";

    /// <summary>The service that runs as a canary (two versions).</summary>
    public const string CanaryService = "catalog";

    /// <summary>Port offset of the load generator's own admin API (<c>/stats</c>, <c>/_demo/spike</c>).</summary>
    public const int LoadPortOffset = 20;

    /// <summary>Every service process of the demo store.</summary>
    public static IReadOnlyList<DemoServiceInstance> Instances { get; } =
    [
        new("frontend", "v1", 0, ["auth", "catalog", "cart"]),
        new("auth", "v1", 1, []),
        new("catalog", "v1", 2, ["inventory"], InitialWeight: 90),
        new("catalog", "v2", 3, ["inventory"], InitialWeight: 10),
        new("cart", "v1", 4, ["catalog", "inventory", "payment", "shipping"]),
        new("inventory", "v1", 5, []),
        new("payment", "v1", 6, []),
        new("shipping", "v1", 7, []),
    ];

    /// <summary>The distinct service names, in start order (callees need not be up first: callers retry through the mesh).</summary>
    public static IReadOnlyList<string> Services { get; } = [.. Instances.Select(i => i.Service).Distinct()];

    /// <summary>Every caller → callee edge of the application map, once.</summary>
    public static IReadOnlyList<(string Caller, string Callee)> Edges { get; } =
        [.. Instances.SelectMany(i => i.Calls.Select(c => (i.Service, c))).Distinct()];

    /// <summary>
    /// <c>mesh-demo</c> arguments for one instance (after <c>dotnet mesh-demo.dll</c>).
    /// </summary>
    /// <param name="instance">The instance.</param>
    /// <param name="port">Its own port (base + <see cref="DemoServiceInstance.PortOffset"/>, unless chosen otherwise).</param>
    /// <param name="upstream">Its outbound sidecar; required when it calls others, ignored otherwise.</param>
    /// <param name="dataDir">Where a stateful instance keeps its files.</param>
    /// <param name="otlp">OTLP/HTTP endpoint for the app's own spans; null keeps them off (the sidecars report).</param>
    /// <param name="otlpHeaders">OTLP headers (<c>Authorization=Bearer …</c>) when <paramref name="otlp"/> is set.</param>
    public static IReadOnlyList<string> ServiceArguments(
        DemoServiceInstance instance, int port, Uri? upstream, string dataDir, Uri? otlp = null, string? otlpHeaders = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.Calls.Count > 0 && upstream is null)
        {
            throw new ArgumentException($"{instance.InstanceName} calls {string.Join(", ", instance.Calls)}: it needs an upstream (outbound sidecar)", nameof(upstream));
        }

        var args = new List<string> { instance.Service, "--port", port.ToString(CultureInfo.InvariantCulture), "--version", instance.Version, "--data-dir", dataDir };
        if (instance.Calls.Count > 0)
        {
            args.AddRange(["--upstream", upstream!.ToString()]);
        }

        if (otlp is not null)
        {
            args.AddRange(["--otlp", otlp.ToString()]);
            if (otlpHeaders is not null)
            {
                args.AddRange(["--otlp-headers", otlpHeaders]);
            }
        }

        return args;
    }

    /// <summary><c>mesh-demo load</c> arguments: journeys against <paramref name="target"/> at <paramref name="rps"/> on average.</summary>
    public static IReadOnlyList<string> LoadArguments(Uri target, double rps, int adminPort, TimeSpan? period = null, string? hostHeader = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var args = new List<string>
        {
            "load", "--target", target.ToString(), "--rps", rps.ToString(CultureInfo.InvariantCulture),
            "--port", adminPort.ToString(CultureInfo.InvariantCulture),
            "--period", ((int)(period ?? TimeSpan.FromMinutes(10)).TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
        };
        if (hostHeader is not null)
        {
            args.AddRange(["--host", hostHeader]);
        }

        return args;
    }
}
