using System.Globalization;
using System.Reflection;

namespace Mesh.Metadata.Relational;

/// <summary>One numbered schema migration; applied once, in version order, inside the migration transaction.</summary>
public sealed record Migration(long Version, string Name, string Sql)
{
    /// <summary>
    /// Reads the migrations embedded in <paramref name="assembly"/> as <c>migrations/NNNN_name.sql</c>.
    /// A later feature adds its tables by adding the next numbered file.
    /// </summary>
    public static IReadOnlyList<Migration> LoadEmbedded(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith("migrations/", StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource["migrations/".Length..^".sql".Length];
            var underscore = name.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !long.TryParse(name.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration '{resource}' is not named NNNN_name.sql.");
            }

            migrations.Add(new Migration(version, name, EmbeddedSql.Read(assembly, resource)));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Two migrations share version {migrations[i].Version}.");
            }
        }

        return migrations;
    }
}
