using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Schema;

namespace Mesh.Storage.ClickHouse.Spans;

/// <summary>
/// Span queries. A trace is fetched in two steps, the trace-id lookup first (which days and services
/// hold it), then the spans table on its (service, timestamp) key; searches find trace ids on the spans
/// table and summarise them from the lookup, which holds every span of a trace in a few rows.
/// </summary>
internal sealed class ClickHouseSpanReader : ISpanReader
{
    private readonly ClickHouseHttpClient _client;
    private readonly SqlTemplate _traceLocation;
    private readonly SqlTemplate _traceSpans;
    private readonly SqlTemplate _findTraceIds;
    private readonly SqlTemplate _traceSummaries;
    private readonly SqlFragment _services;
    private readonly SqlTemplate _operations;
    private readonly SqlTemplate _topOperations;

    public ClickHouseSpanReader(ClickHouseHttpClient client, ClickHouseTables tables)
    {
        _client = client;
        _traceLocation = tables.Load("select_trace_location");
        _traceSpans = tables.Load("select_trace_spans");
        _findTraceIds = tables.Load("find_trace_ids");
        _traceSummaries = tables.Load("select_trace_summaries");
        _services = tables.Load("select_services").Render();
        _operations = tables.Load("select_operations");
        _topOperations = tables.Load("select_top_operations");
    }

    public async ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceId traceId, CancellationToken cancellationToken)
    {
        var id = ClickHouseSql.Quote(traceId.ToString());
        var locationBody = await _client.QueryAsync(_traceLocation.Render(("trace_id", id)), cancellationToken).ConfigureAwait(false);
        var location = JsonEachRow.Read(locationBody, row => (
            First: JsonEachRow.Int64(row, "first_second"),
            Last: JsonEachRow.Int64(row, "last_second"),
            Services: JsonEachRow.StringArray(row, "services"))).FirstOrDefault();
        if (location.Services is not { Count: > 0 })
        {
            return [];
        }

        var query = _traceSpans.Render(
            ("services", ClickHouseSql.QuoteList(location.Services)),
            ("first_second", ClickHouseSql.DateTime(location.First)),
            ("last_second", ClickHouseSql.DateTime(location.Last)),
            ("trace_id", id));
        var body = await _client.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        var reader = new SpanRowReader();
        return JsonEachRow.Read(body, reader.Read);
    }

    public async ValueTask<IReadOnlyList<TraceSummary>> FindTracesAsync(TraceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.EndUnixNano <= query.StartUnixNano)
        {
            return [];
        }

        var limit = Math.Clamp(query.Limit, 1, TraceQuery.MaxLimit);
        var filters = TraceFilters.For(query);
        List<string> found = [];
        foreach (var windowStart in NewestFirst.WindowStarts(query.StartUnixNano, query.EndUnixNano))
        {
            var find = _findTraceIds.Render(
                ("first_second", ClickHouseSql.DateTime(UnixTime.Seconds(windowStart))),
                ("last_second", ClickHouseSql.DateTime(UnixTime.LastSecondBefore(query.EndUnixNano))),
                ("start", ClickHouseSql.Number(windowStart)),
                ("end", ClickHouseSql.Number(query.EndUnixNano)),
                ("filters", filters),
                ("limit", ClickHouseSql.Number(limit)));
            found = JsonEachRow.Read(
                await _client.QueryAsync(find, cancellationToken).ConfigureAwait(false),
                row => JsonEachRow.String(row, "trace_id"));
            if (found.Count >= limit)
            {
                break;
            }
        }

        if (found.Count == 0)
        {
            return [];
        }

        var summarise = _traceSummaries.Render(("trace_ids", ClickHouseSql.QuoteList(found)));
        var summaries = JsonEachRow.Read(await _client.QueryAsync(summarise, cancellationToken).ConfigureAwait(false), ReadSummary)
            .ToDictionary(s => s.TraceId);

        // Newest first, in the search's order. A trace whose lookup rows are not written yet (a replay
        // is still to repair a failed write) has no summary and is left out rather than shown wrong.
        var result = new List<TraceSummary>(found.Count);
        foreach (var hex in found)
        {
            if (TraceId.TryParse(hex, out var traceId) && summaries.TryGetValue(traceId, out var summary))
            {
                result.Add(summary);
            }
        }

        return result;
    }

    public async ValueTask<IReadOnlyList<string>> GetServicesAsync(CancellationToken cancellationToken)
    {
        var body = await _client.QueryAsync(_services, cancellationToken).ConfigureAwait(false);
        var services = JsonEachRow.Read(body, row => JsonEachRow.String(row, "service"));
        services.Sort(StringComparer.Ordinal);
        return services;
    }

    public async ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(string service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        var body = await _client.QueryAsync(_operations.Render(("service", ClickHouseSql.Quote(service))), cancellationToken).ConfigureAwait(false);
        var operations = JsonEachRow.Read(body, row => new Operation(JsonEachRow.String(row, "name"), (SpanKind)JsonEachRow.Int32(row, "kind")));
        operations.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : a.Kind.CompareTo(b.Kind);
        });
        return operations;
    }

    public async ValueTask<IReadOnlyList<OperationStats>> GetTopOperationsAsync(OperationStatsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        if (query.EndUnixNano <= query.StartUnixNano)
        {
            return [];
        }

        var limit = TopOperations.Limit(query);
        var sql = _topOperations.Render(
            ("proxy", TopOperationsSql.Proxy),
            ("error", TopOperationsSql.Error),
            ("service", ClickHouseSql.Quote(query.Service)),
            ("first_second", ClickHouseSql.DateTime(UnixTime.Seconds(query.StartUnixNano))),
            ("last_second", ClickHouseSql.DateTime(UnixTime.LastSecondBefore(query.EndUnixNano))),
            ("start", ClickHouseSql.Number(query.StartUnixNano)),
            ("end", ClickHouseSql.Number(query.EndUnixNano)),
            ("limit", ClickHouseSql.Number(limit)));
        var rows = JsonEachRow.Read(
            await _client.QueryAsync(sql, cancellationToken).ConfigureAwait(false),
            row => (
                JsonEachRow.Int64(row, "proxy") != 0,
                new OperationStats(
                    JsonEachRow.String(row, "name"),
                    JsonEachRow.Int64(row, "requests"),
                    JsonEachRow.Int64(row, "errors"),
                    JsonEachRow.Int64(row, "p99_nanos"))));
        return TopOperations.Pick(rows, limit);
    }

    private static TraceSummary ReadSummary(System.Text.Json.JsonElement row)
    {
        _ = TraceId.TryParse(JsonEachRow.String(row, "trace_id"), out var traceId);
        var start = JsonEachRow.Int64(row, "start_time");
        var services = JsonEachRow.StringArray(row, "services");
        services.Sort(StringComparer.Ordinal);
        return new TraceSummary
        {
            TraceId = traceId,
            RootService = JsonEachRow.String(row, "root_service"),
            RootOperation = JsonEachRow.String(row, "root_name"),
            StartUnixNano = start,
            DurationNanos = Math.Max(0, JsonEachRow.Int64(row, "end_time") - start),
            SpanCount = JsonEachRow.Int32(row, "span_count"),
            ErrorCount = JsonEachRow.Int32(row, "error_count"),
            Services = services,
        };
    }
}
