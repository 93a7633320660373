using System.Reflection;

namespace Mesh.Metadata.Relational;

/// <summary>Reads SQL kept as embedded <c>.sql</c> files.</summary>
internal static class EmbeddedSql
{
    public static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The SQL resource {resource} is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
