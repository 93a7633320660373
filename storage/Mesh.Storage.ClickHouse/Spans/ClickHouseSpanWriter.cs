using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Schema;

namespace Mesh.Storage.ClickHouse.Spans;

/// <summary>
/// Writes a batch as two requests running side by side, one per table: the spans and their trace-id
/// lookup rows. A replay first asks both tables which of the batch's spans they already hold and then
/// writes to each table only what that table lacks, so a batch that reached one table and not the
/// other, or reached a table in part, ends up stored exactly once in both.
/// </summary>
internal sealed class ClickHouseSpanWriter : ISpanWriter
{
    /// <summary>Trace ids per existence query: 2,000 quoted ids keep the statement well under max_query_size (256 KiB).</summary>
    private const int TraceIdsPerLookup = 2000;

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

    private async Task ReplayAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken)
    {
        var seen = new HashSet<SpanKey>(spans.Count);
        var unique = new List<Span>(spans.Count);
        var services = new HashSet<string>(StringComparer.Ordinal);
        var traceIds = new HashSet<TraceId>();
        var firstSecond = uint.MaxValue;
        var lastSecond = uint.MinValue;
        foreach (var span in spans)
        {
            if (!seen.Add(SpanKey.Of(span)))
            {
                continue;
            }

            unique.Add(span);
            services.Add(span.ServiceName);
            traceIds.Add(span.TraceId);
            var second = UnixTime.Seconds(span.StartTimeUnixNano);
            firstSecond = Math.Min(firstSecond, second);
            lastSecond = Math.Max(lastSecond, second);
        }

        var bounds = new Bounds(ClickHouseSql.QuoteList(services), ClickHouseSql.DateTime(firstSecond), ClickHouseSql.DateTime(lastSecond));
        var inSpans = FindExistingAsync(_existingSpans, traceIds, bounds, cancellationToken);
        var inTraceIndex = FindExistingAsync(_existingTraceIndex, traceIds, bounds, cancellationToken);
        await Task.WhenAll(inSpans, inTraceIndex).ConfigureAwait(false);

        var spansMissing = unique.Where(s => !inSpans.Result.Contains(SpanKey.Of(s))).ToList();
        var traceIndexMissing = unique.Where(s => !inTraceIndex.Result.Contains(SpanKey.Of(s))).ToList();
        await InsertAsync(spansMissing, traceIndexMissing, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HashSet<SpanKey>> FindExistingAsync(SqlTemplate template, HashSet<TraceId> traceIds, Bounds bounds, CancellationToken cancellationToken)
    {
        var existing = new HashSet<SpanKey>();
        foreach (var chunk in traceIds.Chunk(TraceIdsPerLookup))
        {
            var query = template.Render(
                ("services", bounds.Services),
                ("first_second", bounds.FirstSecond),
                ("last_second", bounds.LastSecond),
                ("trace_ids", ClickHouseSql.QuoteList(chunk.Select(t => t.ToString()))));
            var body = await _client.QueryAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var key in JsonEachRow.Read(body, ReadKey))
            {
                existing.Add(key);
            }
        }

        return existing;
    }

    private static SpanKey ReadKey(System.Text.Json.JsonElement row)
    {
        _ = TraceId.TryParse(JsonEachRow.String(row, "trace_id"), out var traceId);
        _ = SpanId.TryParse(JsonEachRow.String(row, "span_id"), out var spanId);
        return new SpanKey(traceId, spanId);
    }

    private Task InsertAsync(IReadOnlyList<Span> toSpans, IReadOnlyList<Span> toTraceIndex, CancellationToken cancellationToken)
    {
        var spans = toSpans.Count == 0
            ? Task.CompletedTask
            : _client.InsertAsync(_insertSpans, toSpans, static () => new SpanRowEncoder(), cancellationToken);
        var traceIndex = toTraceIndex.Count == 0
            ? Task.CompletedTask
            : _client.InsertAsync(_insertTraceIndex, toTraceIndex, static () => new TraceIndexRowEncoder(), cancellationToken);
        return Task.WhenAll(spans, traceIndex);
    }

    private readonly record struct Bounds(SqlFragment Services, SqlFragment FirstSecond, SqlFragment LastSecond);
}
