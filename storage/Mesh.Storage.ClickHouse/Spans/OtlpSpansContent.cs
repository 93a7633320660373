using Mesh.Core.Telemetry;
using Mesh.Otlp.Conversion;
using Mesh.Otlp.Wire;
using Mesh.Storage.ClickHouse.Client;

namespace Mesh.Storage.ClickHouse.Spans;

/// <summary>
/// The RowBinary body of a spans INSERT, encoded from OTLP requests while it is sent; the trace-id lookup rows of
/// the same spans collect on the way in a writer the caller owns (the content is disposed with its request), for
/// the INSERT that follows. A request the wire walk declines is encoded through the model instead: what the walk had written of it is dropped first,
/// which is why the body goes out only between requests.
/// </summary>
internal sealed class OtlpSpansContent : StreamedInsertContent
{
    private const int FlushThreshold = 256 * 1024;

    private readonly IReadOnlyList<ReadOnlyMemory<byte>> _requests;
    private readonly RowBinaryWriter _traceIndex;

    public OtlpSpansContent(IReadOnlyList<ReadOnlyMemory<byte>> requests, RowBinaryWriter traceIndex, bool gzip)
        : base(gzip)
    {
        _requests = requests;
        _traceIndex = traceIndex;
    }

    /// <summary>Spans in the body, once it has been sent.</summary>
    public int SpanCount { get; private set; }

    /// <summary>Requests left out of the body because they do not parse, once it has been sent.</summary>
    public int SkippedRequests { get; private set; }

    protected override async Task WriteBodyAsync(Stream target, CancellationToken cancellationToken)
    {
        _traceIndex.Clear();
        using var spans = new RowBinaryWriter(FlushThreshold * 2);
        using var rows = new OtlpSpanRows(spans, _traceIndex);
        foreach (var request in _requests)
        {
            Encode(request.Span, rows);
            if (spans.Length >= FlushThreshold)
            {
                await target.WriteAsync(spans.WrittenMemory, cancellationToken).ConfigureAwait(false);
                spans.Clear();
            }
        }

        if (spans.Length > 0)
        {
            await target.WriteAsync(spans.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }

        SpanCount = rows.Count;
        SkippedRequests = rows.Skipped;
    }

    private static void Encode(ReadOnlySpan<byte> request, OtlpSpanRows rows)
    {
        var spansMark = rows.Spans.Length;
        var indexMark = rows.TraceIndex.Length;
        var countMark = rows.Count;
        if (OtlpTraceWire.TryWalk(request, rows))
        {
            return;
        }

        rows.Spans.Truncate(spansMark);
        rows.TraceIndex.Truncate(indexMark);
        rows.Count = countMark;
        var model = new List<Span>();
        if (!OtlpSpans.TryToModel(request, model))
        {
            // Cannot happen for a spooled request (validated on receipt, checksummed on disk); if it does, failing
            // the whole batch would retry it forever. It is left out, and the caller told (SkippedRequests).
            rows.Skipped++;
            return;
        }

        using var spanEncoder = new SpanRowEncoder();
        using var indexEncoder = new TraceIndexRowEncoder();
        foreach (var span in model)
        {
            spanEncoder.Encode(rows.Spans, span);
            indexEncoder.Encode(rows.TraceIndex, span);
        }

        rows.Count += model.Count;
    }
}
