using Mesh.Core.Metadata;
using Mesh.Metadata.Postgres;
using Mesh.Metadata.Sqlite;

namespace Mesh.Web.Hosting;

/// <summary>Creates the configured metadata store; the only place that knows both backends.</summary>
internal static class MetadataFactory
{
    public const string SqliteFile = "metadata.db";

    public static IMetadataStore Create(MeshSettings settings, string dataDir) => settings.Metadata switch
    {
        "postgres" => new PostgresMetadataStore(settings.MetadataConnection!),
        _ => new SqliteMetadataStore(new SqliteMetadataOptions { Path = Path.Combine(dataDir, SqliteFile) }),
    };

    public static string Describe(MeshSettings settings, string dataDir) => settings.Metadata switch
    {
        "postgres" => "postgres",
        _ => $"sqlite ({Path.Combine(dataDir, SqliteFile)})",
    };
}
