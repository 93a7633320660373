using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;

namespace Mesh.Storage.ClickHouse.Client;

/// <summary>
/// An INSERT body written while it is sent, optionally gzip-compressed on the way. Serialising twice (HttpClient's
/// retry on a stale pooled connection) writes it again: <see cref="WriteBodyAsync"/> must start from scratch.
/// </summary>
internal abstract class StreamedInsertContent : HttpContent
{
    private readonly bool _gzip;

    protected StreamedInsertContent(bool gzip)
    {
        _gzip = gzip;
        Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (gzip)
        {
            Headers.ContentEncoding.Add("gzip");
        }
    }

    protected abstract Task WriteBodyAsync(Stream target, CancellationToken cancellationToken);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (!_gzip)
        {
            await WriteBodyAsync(stream, cancellationToken).ConfigureAwait(false);
            return;
        }

        var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true);
        await using (gzip.ConfigureAwait(false))
        {
            await WriteBodyAsync(gzip, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
