using System.Reflection;
using System.Text.Json;

namespace Mesh.Bench.Processes;

/// <summary>What the <c>mesh.dll</c> next to the bench is: its build configuration and the GC it ships with.</summary>
internal static class MeshBuild
{
    /// <summary><c>Release</c> or <c>Debug</c>: the configuration mesh.dll was built in (the bench's own, through the project reference).</summary>
    public static string Configuration =>
        Assembly.Load(new AssemblyName("mesh")).GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "unknown";

    public static string BenchConfiguration =>
        typeof(MeshBuild).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "unknown";

    /// <summary>
    /// Whether mesh runs with server GC as shipped (mesh.runtimeconfig.json). The test fixture turns it off to keep
    /// test runs light; the benchmark puts back what a user gets.
    /// </summary>
    public static bool ShipsWithServerGc()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "mesh.runtimeconfig.json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.TryGetProperty("runtimeOptions", out var options)
            && options.TryGetProperty("configProperties", out var properties)
            && properties.TryGetProperty("System.GC.Server", out var server)
            && server.ValueKind == JsonValueKind.True;
    }
}
