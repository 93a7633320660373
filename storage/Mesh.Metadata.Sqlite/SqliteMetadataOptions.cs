namespace Mesh.Metadata.Sqlite;

/// <summary>Where the embedded metadata store keeps its file.</summary>
public sealed record SqliteMetadataOptions
{
    /// <summary>Path of the SQLite file (created when missing).</summary>
    public required string Path { get; init; }
}
