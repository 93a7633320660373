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
    /// L3 cache size); and no tiered PGO (its instrumented tier costs CPU and memory while all children JIT at once).
    /// docs/benchmarks.md has what each child holds.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ChildEnvironment { get; } = new Dictionary<string, string>
    {
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_gcConcurrent"] = "0",
        ["DOTNET_GCgen0MaxBudget"] = "0x600000",
        ["DOTNET_TieredPGO"] = "0",
    };
}
