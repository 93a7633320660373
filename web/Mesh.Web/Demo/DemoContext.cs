namespace Mesh.Web.Demo;

/// <summary>What every part of the demo needs to know about the running Mesh and where the demo lives.</summary>
/// <param name="Directory"><c>&lt;data-dir&gt;/demo</c>: sidecar configs, service data, logs.</param>
/// <param name="ApiUrl">Mesh's API (control plane) as the children reach it.</param>
/// <param name="OtlpHttpUrl">Mesh's OTLP/HTTP ingest as the children reach it.</param>
/// <param name="Dotnet">The <c>dotnet</c> host that runs <c>mesh.dll</c> and <c>mesh-demo.dll</c>.</param>
/// <param name="BinDirectory">Where <c>mesh.dll</c> and <c>mesh-demo.dll</c> are.</param>
internal sealed record DemoContext(
    DemoSettings Settings,
    DemoPorts Ports,
    string Directory,
    Uri ApiUrl,
    Uri OtlpHttpUrl,
    string IngestToken,
    string AdminToken,
    string Dotnet,
    string BinDirectory)
{
    public string MeshDll => Path.Combine(BinDirectory, "mesh.dll");

    public string DemoDll => Path.Combine(BinDirectory, Mesh.Demo.Topology.DemoTopology.AssemblyFileName);

    public string LogDirectory => Path.Combine(Directory, "logs");

    public string SidecarDirectory => Path.Combine(Directory, "sidecars");

    public string ServiceDataDirectory => Path.Combine(Directory, "services");

    /// <summary>
    /// Runtime settings every .NET child gets (18 of them share two cores with the platform; each handles a few requests
    /// a second): workstation GC without the background GC thread (mesh-demo.dll sets both in its project; the sidecars run
    /// mesh.dll, the platform's own executable, which does not); a gen0 budget capped at 6 MiB, a bound on how far a
    /// child's heap grows before it collects (a child's garbage is a few requests' worth; the default budget follows the
    /// L3 cache size); and no tiered compilation: each method is compiled once, fully optimised, and the framework's
    /// precompiled (ReadyToRun) code is kept, instead of a quick JIT followed by a background re-JIT of every hot method,
    /// which is work all 18 children did at once while they started (tiering off cut the demo's startup CPU from 71 to
    /// 50 s and all services visible from 36.6 to 27.6 s, medians of three runs; docs/benchmarks.md). A child handles a
    /// few requests a second, so the last few percent of steady-state code quality tiering buys do not matter here.
    /// docs/benchmarks.md has what each child holds.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ChildEnvironment { get; } = new Dictionary<string, string>
    {
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_gcConcurrent"] = "0",
        ["DOTNET_GCgen0MaxBudget"] = "0x600000",
        ["DOTNET_TieredCompilation"] = "0",
    };
}
