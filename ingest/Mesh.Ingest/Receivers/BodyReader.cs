using System.Buffers;
using System.IO.Compression;

namespace Mesh.Ingest.Receivers;

/// <summary>
/// Reads a request body into one pooled buffer, inflating gzip on the way, and stops as soon as the
/// (decompressed) size passes the limit: an oversized body or a gzip bomb costs at most the limit.
/// </summary>
internal static class BodyReader
{
    public static async ValueTask<(PooledBuffer? Body, ExportOutcome? Error)> ReadAsync(
        Stream body, bool gzip, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new PooledBuffer(Math.Min(maxBytes + 1, 64 * 1024));
        var source = gzip ? new GZipStream(body, CompressionMode.Decompress, leaveOpen: true) : body;
        try
        {
            while (true)
            {
                if (buffer.Length == buffer.Capacity)
                {
                    if (buffer.Length > maxBytes)
                    {
                        buffer.Dispose();
                        return (null, ExportOutcome.Large(gzip
                            ? $"request body exceeds the limit of {maxBytes} bytes after decompression"
                            : $"request body exceeds the limit of {maxBytes} bytes"));
                    }

                    buffer.Grow(Math.Min((long)buffer.Capacity * 2, maxBytes + 1L));
                }

                var read = await source.ReadAsync(buffer.FreeMemory, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
                if (buffer.Length > maxBytes)
                {
                    buffer.Dispose();
                    return (null, ExportOutcome.Large(gzip
                        ? $"request body exceeds the limit of {maxBytes} bytes after decompression"
                        : $"request body exceeds the limit of {maxBytes} bytes"));
                }
            }

            return (buffer, null);
        }
        catch (InvalidDataException ex)
        {
            buffer.Dispose();
            return (null, ExportOutcome.Bad($"invalid gzip body: {ex.Message}"));
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
        finally
        {
            if (gzip)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Inflates an in-memory gzip payload (a compressed gRPC message) under the same limit.</summary>
    public static async ValueTask<(PooledBuffer? Body, ExportOutcome? Error)> InflateAsync(
        ReadOnlyMemory<byte> compressed, int maxBytes, CancellationToken cancellationToken)
    {
        using var stream = new ReadOnlyMemoryStream(compressed);
        return await ReadAsync(stream, gzip: true, maxBytes, cancellationToken).ConfigureAwait(false);
    }

    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => memory.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, memory.Length - _position);
            memory.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
