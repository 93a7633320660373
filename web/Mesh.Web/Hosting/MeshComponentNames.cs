namespace Mesh.Web.Hosting;

/// <summary>The names of <see cref="MeshComponents"/> on the command line: <c>ingest,control-plane</c>, or <c>all</c>.</summary>
internal static class MeshComponentNames
{
    private static readonly (string Name, MeshComponents Component)[] Names =
    [
        ("ingest", MeshComponents.Ingest),
        ("control-plane", MeshComponents.ControlPlane),
        ("analytics", MeshComponents.Analytics),
        ("web", MeshComponents.Web),
        ("all", MeshComponents.All),
    ];

    /// <summary>Parses a comma-separated list; throws <see cref="SettingsException"/> naming an unknown entry.</summary>
    public static MeshComponents Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var components = MeshComponents.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var found = Names.FirstOrDefault(n => string.Equals(n.Name, part, StringComparison.OrdinalIgnoreCase));
            if (found.Name is null)
            {
                throw new SettingsException($"--components / MESH_COMPONENTS: '{part}' is not a component; use {string.Join(", ", Names.Select(n => n.Name))} (comma-separated)");
            }

            components |= found.Component;
        }

        return components == MeshComponents.None
            ? throw new SettingsException("--components / MESH_COMPONENTS: name at least one component (or all)")
            : components;
    }

    public static string Describe(MeshComponents components) =>
        components == MeshComponents.All
            ? "all"
            : string.Join(",", Names.Where(n => n.Component != MeshComponents.All && components.HasFlag(n.Component)).Select(n => n.Name));
}
