namespace Mesh.Storage.ClickHouse.Client;

/// <summary>
/// What the connected server can do where versions differ. Until the version is known the store
/// assumes the oldest supported server (Debian's 18.16), whose forms every later version accepts.
/// </summary>
internal sealed record ClickHouseCapabilities(ClickHouseVersion Version)
{
    public static readonly ClickHouseVersion OldestSupported = new(18, 16, 0);

    public static readonly ClickHouseCapabilities Oldest = new(OldestSupported);

    /// <summary>
    /// <c>LowCardinality(String)</c> without <c>allow_experimental_low_cardinality_type</c>: from 19.3,
    /// when the type left its experimental flag. Dictionary-encodes service and span names.
    /// </summary>
    public bool LowCardinality => Version >= new ClickHouseVersion(19, 3, 0);

    /// <summary>
    /// Data skipping indexes (a bloom filter on trace ids) without <c>allow_experimental_data_skipping_indices</c>: from 20.1.
    /// </summary>
    public bool SkippingIndexes => Version >= new ClickHouseVersion(20, 1, 0);
}
