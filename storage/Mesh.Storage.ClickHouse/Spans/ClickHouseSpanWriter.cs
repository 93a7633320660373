using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Otlp.Conversion;
using Mesh.Otlp.Storage;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Rows;
using Mesh.Storage.ClickHouse.Schema;

namespace Mesh.Storage.ClickHouse.Spans;

/// <summary>
/// Writes a batch as one request per table: the spans, then (only once they are stored) their trace-id
/// lookup rows. That order keeps one invariant through any failure: a span in the lookup is in the spans
/// table. A replay therefore asks the lookup first (point reads by trace id) and scans the spans table
/// only for the spans the lookup lacks, then writes each table only what it lacks, so a batch that
/// reached one table and not the other, or a table in part, ends up stored exactly once in both.
/// First writes of OTLP requests skip the model: rows are encoded from the protobuf bytes (<see cref="OtlpSpanRows"/>).
/// </summary>
internal sealed class ClickHouseSpanWriter : ISpanWriter, IOtlpSpanWriter
{
    private readonly ClickHouseHttpClient _client;
    private readonly SqlFragment _insertSpans;
    private readonly SqlFragment _insertTraceIndex;
    private readonly SqlTemplate _existingSpans;
    private readonly SqlTemplate _existingTraceIndex;

    public ClickHouseSpanWriter(ClickHouseHttpClient client, ClickHouseTables tables)
    {
        _client = client;
        _insertSpans = tables.Load("insert_spans").Render();
        _insertTraceIndex = tables.Load("insert_trace_index").Render();
        _existingSpans = tables.Load("select_existing_spans");
        _existingTraceIndex = tables.Load("select_existing_trace_index");
    }

    public ValueTask WriteSpansAsync(IReadOnlyList<Span> spans, WriteMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        return mode == WriteMode.First
            ? new ValueTask(InsertAsync(spans, spans, cancellationToken))
            : new ValueTask(ReplayAsync(spans, cancellationToken));
    }

    public async ValueTask<int> WriteOtlpAsync(IReadOnlyList<ReadOnlyMemory<byte>> requests, WriteMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            return 0;
        }

        if (mode == WriteMode.Replay)
        {
            // Rare (after a crash or a failed write), and it needs the ids of every span: the model path.
            var spans = new List<Span>();
            var skipped = 0;
            foreach (var request in requests)
            {
                skipped += OtlpSpans.TryToModel(request.Span, spans) ? 0 : 1;
            }

            await ReplayAsync(spans, cancellationToken).ConfigureAwait(false);
            return skipped;
        }

        return await InsertOtlpAsync(requests, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> InsertOtlpAsync(IReadOnlyList<ReadOnlyMemory<byte>> requests, CancellationToken cancellationToken)
    {
        // Spans first, then their lookup rows: the order the replay path relies on (see the class remarks).
        using var traceIndex = new RowBinaryWriter(256 * 1024);
        var content = new OtlpSpansContent(requests, traceIndex, _client.CompressInserts);
        await _client.InsertAsync(_insertSpans, content, cancellationToken).ConfigureAwait(false);
        if (content.SpanCount > 0)
        {
            var index = new ReadOnlyMemoryContent(traceIndex.WrittenMemory);
            index.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            await _client.InsertAsync(_insertTraceIndex, index, cancellationToken).ConfigureAwait(false);
        }

        return content.SkippedRequests;
    }

    private async Task ReplayAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken)
    {
        var seen = new HashSet<SpanKey>(spans.Count);
        var unique = new List<Span>(spans.Count);
        foreach (var span in spans)
        {
            if (seen.Add(SpanKey.Of(span)))
            {
                unique.Add(span);
            }
        }

        var inTraceIndex = await FindExistingAsync(_existingTraceIndex, unique, cancellationToken).ConfigureAwait(false);
        var notIndexed = unique.Where(s => !inTraceIndex.Contains(SpanKey.Of(s))).ToList();
        if (notIndexed.Count == 0)
        {
            return;
        }

        var inSpans = await FindExistingAsync(_existingSpans, notIndexed, cancellationToken).ConfigureAwait(false);
        var spansMissing = notIndexed.Where(s => !inSpans.Contains(SpanKey.Of(s))).ToList();
        await InsertAsync(spansMissing, notIndexed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Which of <paramref name="spans"/> a table holds, looking only at the seconds (and services) the
    /// spans can be in. The ids go as external data in one request, however large the batch.
    /// </summary>
    private async Task<HashSet<SpanKey>> FindExistingAsync(SqlTemplate template, List<Span> spans, CancellationToken cancellationToken)
    {
        var services = new HashSet<string>(StringComparer.Ordinal);
        var traceIds = new HashSet<TraceId>();
        var firstSecond = uint.MaxValue;
        var lastSecond = uint.MinValue;
        foreach (var span in spans)
        {
            services.Add(span.ServiceName);
            traceIds.Add(span.TraceId);
            var second = UnixTime.Seconds(span.StartTimeUnixNano);
            firstSecond = Math.Min(firstSecond, second);
            lastSecond = Math.Max(lastSecond, second);
        }

        var query = template.Render(
            ("first_second", ClickHouseSql.DateTime(firstSecond)),
            ("last_second", ClickHouseSql.DateTime(lastSecond)));
        var body = await _client.QueryAsync(query, [BatchTables.Services(services), BatchTables.TraceIds(traceIds)], cancellationToken).ConfigureAwait(false);
        return [.. JsonEachRow.Read(body, ReadKey)];
    }

    private static SpanKey ReadKey(System.Text.Json.JsonElement row)
    {
        _ = TraceId.TryParse(JsonEachRow.String(row, "trace_id"), out var traceId);
        _ = SpanId.TryParse(JsonEachRow.String(row, "span_id"), out var spanId);
        return new SpanKey(traceId, spanId);
    }

    private async Task InsertAsync(IReadOnlyList<Span> toSpans, IReadOnlyList<Span> toTraceIndex, CancellationToken cancellationToken)
    {
        if (toSpans.Count != 0)
        {
            var ordered = TableOrder.ByServiceAndSecond(toSpans, static s => s.Resource, static s => s.StartTimeUnixNano);
            await _client.InsertAsync(_insertSpans, ordered, static () => new SpanRowEncoder(), cancellationToken).ConfigureAwait(false);
        }

        if (toTraceIndex.Count != 0)
        {
            var ordered = TableOrder.ByTraceAndSpan(toTraceIndex);
            await _client.InsertAsync(_insertTraceIndex, ordered, static () => new TraceIndexRowEncoder(), cancellationToken).ConfigureAwait(false);
        }
    }
}
