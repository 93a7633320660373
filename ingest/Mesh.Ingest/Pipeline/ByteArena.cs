namespace Mesh.Ingest.Pipeline;

/// <summary>
/// Copies of byte ranges that live until <see cref="Reset"/>, in large chunks kept from batch to batch, so holding
/// a batch's spooled requests costs no allocation once the chunks exist.
/// </summary>
internal sealed class ByteArena
{
    private const int ChunkSize = 4 * 1024 * 1024;

    private readonly List<byte[]> _chunks = [];
    private int _chunk;
    private int _offset;

    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > ChunkSize)
        {
            // Rare: larger than a chunk, so it gets an array of its own that is not kept.
            return bytes.ToArray();
        }

        if (_chunk == _chunks.Count)
        {
            _chunks.Add(GC.AllocateUninitializedArray<byte>(ChunkSize));
        }

        if (ChunkSize - _offset < bytes.Length)
        {
            _chunk++;
            _offset = 0;
            if (_chunk == _chunks.Count)
            {
                _chunks.Add(GC.AllocateUninitializedArray<byte>(ChunkSize));
            }
        }

        var memory = _chunks[_chunk].AsMemory(_offset, bytes.Length);
        bytes.CopyTo(memory.Span);
        _offset += bytes.Length;
        return memory;
    }

    public void Reset()
    {
        _chunk = 0;
        _offset = 0;
    }
}
