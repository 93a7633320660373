using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace Mesh.Proxy.Forwarding;

/// <summary>
/// The request body as the forwarder sends it. Small bodies of known length are read once into a pooled buffer
/// (replayable: retries and mirrors can resend them); anything else streams straight through and can be sent
/// only once — a retry is never attempted after a streamed body started flowing.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    /// <summary>Bodies up to this size (with a Content-Length) are buffered for replay, like Envoy's retry buffer.</summary>
    public const int ReplayLimit = 64 * 1024;

    public static readonly RequestBody None = new(null, null, 0);

    private readonly HttpRequest? _request;
    private readonly bool _pooled;
    private byte[]? _buffer;
    private StreamingContent? _streaming;

    private RequestBody(HttpRequest? request, byte[]? buffer, int length, bool pooled = true)
    {
        _request = request;
        _buffer = buffer;
        Length = length;
        _pooled = pooled;
    }

    public int Length { get; }

    public bool HasBody => _request is not null || _buffer is not null;

    public bool Buffered => _buffer is not null;

    /// <summary>True while the body can still be sent again.</summary>
    public bool Replayable => _request is null || _buffer is not null || _streaming is null || !_streaming.Started;

    public long BytesSent => _buffer is not null ? Length : _streaming?.BytesSent ?? 0;

    public static async ValueTask<RequestBody> FromAsync(HttpRequest request, bool canHaveBody, CancellationToken cancellationToken)
    {
        if (!canHaveBody || request.ContentLength == 0)
        {
            return None;
        }

        if (request.ContentLength is { } length and <= ReplayLimit)
        {
            var buffer = ArrayPool<byte>.Shared.Rent((int)length);
            var read = 0;
            while (read < length)
            {
                var n = await request.Body.ReadAsync(buffer.AsMemory(read, (int)length - read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw new IOException("the client sent less body than its Content-Length");
                }

                read += n;
            }

            return new RequestBody(null, buffer, (int)length);
        }

        return new RequestBody(request, null, 0);
    }

    /// <summary>A copy that outlives the request (for a mirror sent after the request ended); null for streamed bodies.</summary>
    public RequestBody? CopyForMirror() => _buffer is not null
        ? new RequestBody(null, _buffer.AsSpan(0, Length).ToArray(), Length, pooled: false)
        : _request is null ? None : null;

    /// <summary>Content for one try (null: no body). A buffered body gives a fresh content each time.</summary>
    public HttpContent? CreateContent()
    {
        if (_buffer is not null)
        {
            return new ReadOnlyMemoryContent(_buffer.AsMemory(0, Length));
        }

        if (_request is null)
        {
            return null;
        }

        _streaming = new StreamingContent(_request.Body, _request.ContentLength);
        return _streaming;
    }

    public void Dispose()
    {
        if (_buffer is { } b && _pooled)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(b);
        }
    }

    /// <summary>Copies the downstream body upstream as it arrives, flushing each chunk (gRPC streams need that).</summary>
    private sealed class StreamingContent : HttpContent
    {
        private readonly Stream _source;
        private readonly long? _length;
        private long _sent;

        public StreamingContent(Stream source, long? length)
        {
            _source = source;
            _length = length;
        }

        public bool Started { get; private set; }

        public long BytesSent => Interlocked.Read(ref _sent);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            Started = true;
            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                int n;
                while ((n = await _source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                    Interlocked.Add(ref _sent, n);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length ?? 0;
            return _length is not null;
        }
    }
}
