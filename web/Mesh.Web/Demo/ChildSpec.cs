namespace Mesh.Web.Demo;

/// <summary>What to run for one child of the demo: its name (log file, messages), the program and its arguments.</summary>
/// <param name="Name">Unique among the children, e.g. <c>catalog-v2</c> or <c>catalog-v2-sidecar</c>.</param>
/// <param name="FileName">The program (the <c>dotnet</c> host).</param>
/// <param name="Arguments">Its arguments (<c>mesh-demo.dll catalog --port …</c>).</param>
/// <param name="HealthUrl">A URL answering 200 once the child is ready (its <c>/healthz</c> or admin <c>/ready</c>).</param>
internal sealed record ChildSpec(string Name, string FileName, IReadOnlyList<string> Arguments, Uri HealthUrl)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
