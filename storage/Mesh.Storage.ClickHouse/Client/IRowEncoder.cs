namespace Mesh.Storage.ClickHouse.Client;

/// <summary>
/// Writes one row of <typeparamref name="T"/> in the column order of one INSERT statement.
/// An encoder lives for one request body, so it may cache what rows share (a resource, a scope).
/// </summary>
internal interface IRowEncoder<in T> : IDisposable
{
    void Encode(RowBinaryWriter writer, T row);
}
