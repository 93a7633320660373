namespace Mesh.Storage.Sqlite;

/// <summary>Settings of the embedded SQLite store.</summary>
public sealed record SqliteStoreOptions
{
    /// <summary>Path of the database file; its directory is created when missing.</summary>
    public required string Path { get; init; }

    /// <summary>Page cache per connection, in KiB (SQLite's <c>cache_size</c> with a negative sign).</summary>
    public int CacheSizeKiB { get; init; } = 64 * 1024;
}
