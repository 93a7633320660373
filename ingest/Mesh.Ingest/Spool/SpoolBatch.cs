using System.Buffers;

namespace Mesh.Ingest.Spool;

/// <summary>
/// Records read by <see cref="FileSpool.Read"/>, backed by one pooled buffer: dispose the batch once the
/// payloads are parsed. <see cref="EndPosition"/> may move past damaged bytes even when no record came back,
/// so it is what to commit.
/// </summary>
internal sealed class SpoolBatch : IDisposable
{
    private byte[]? _buffer;

    public SpoolBatch(long startPosition)
    {
        StartPosition = startPosition;
        EndPosition = startPosition;
    }

    public List<SpoolRecord> Records { get; } = [];

    public long StartPosition { get; }

    /// <summary>The position just past everything this batch consumed.</summary>
    public long EndPosition { get; set; }

    /// <summary>Hands the batch a pooled buffer to return on dispose (replacing, and returning, any earlier one).</summary>
    public void Own(byte[] buffer)
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = buffer;
    }

    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
