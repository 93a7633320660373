using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;

namespace Mesh.Storage.ClickHouse.Client;

/// <summary>
/// An INSERT body encoded while it is sent: rows go into one pooled buffer that is written to the
/// connection each time it passes <see cref="FlushThreshold"/>, so a batch of any size costs one
/// buffer, not one copy of the batch. Serialising twice (HttpClient's retry on a stale pooled
/// connection) encodes the rows again.
/// </summary>
internal sealed class RowBinaryContent<T> : HttpContent
{
    private const int FlushThreshold = 64 * 1024;

    private readonly IReadOnlyList<T> _rows;
    private readonly Func<IRowEncoder<T>> _encoderFactory;
    private readonly bool _gzip;

    public RowBinaryContent(IReadOnlyList<T> rows, Func<IRowEncoder<T>> encoderFactory, bool gzip)
    {
        _rows = rows;
        _encoderFactory = encoderFactory;
        _gzip = gzip;
        Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (gzip)
        {
            Headers.ContentEncoding.Add("gzip");
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var target = _gzip ? new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true) : stream;
        try
        {
            using var encoder = _encoderFactory();
            using var writer = new RowBinaryWriter(FlushThreshold * 2);
            for (var i = 0; i < _rows.Count; i++)
            {
                encoder.Encode(writer, _rows[i]);
                if (writer.Length >= FlushThreshold)
                {
                    await target.WriteAsync(writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                    writer.Clear();
                }
            }

            if (writer.Length > 0)
            {
                await target.WriteAsync(writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (_gzip)
            {
                await target.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
