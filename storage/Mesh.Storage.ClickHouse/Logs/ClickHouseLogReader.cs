using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Schema;

namespace Mesh.Storage.ClickHouse.Logs;

/// <summary>Log searches on the logs table's (service, timestamp) key, newest first, in widening windows (<see cref="NewestFirst"/>).</summary>
internal sealed class ClickHouseLogReader : ILogReader
{
    private readonly ClickHouseHttpClient _client;
    private readonly SqlTemplate _findLogs;

    public ClickHouseLogReader(ClickHouseHttpClient client, ClickHouseTables tables)
    {
        _client = client;
        _findLogs = tables.Load("find_logs");
    }

    public async ValueTask<IReadOnlyList<LogRecord>> FindLogsAsync(LogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.EndUnixNano <= query.StartUnixNano)
        {
            return [];
        }

        var limit = Math.Clamp(query.Limit, 1, LogQuery.MaxLimit);
        var filters = Filters(query);
        List<LogRecord> logs = [];
        foreach (var windowStart in NewestFirst.WindowStarts(query.StartUnixNano, query.EndUnixNano))
        {
            var sql = _findLogs.Render(
                ("first_second", ClickHouseSql.DateTime(UnixTime.Seconds(windowStart))),
                ("last_second", ClickHouseSql.DateTime(UnixTime.LastSecondBefore(query.EndUnixNano))),
                ("start", ClickHouseSql.Number(windowStart)),
                ("end", ClickHouseSql.Number(query.EndUnixNano)),
                ("filters", filters),
                ("limit", ClickHouseSql.Number(limit)));
            var body = await _client.QueryAsync(sql, cancellationToken).ConfigureAwait(false);
            logs = JsonEachRow.Read(body, new LogRowReader().Read);
            if (logs.Count >= limit)
            {
                break;
            }
        }

        return logs;
    }

    private static SqlFragment Filters(LogQuery query)
    {
        var conditions = new List<SqlFragment>();
        if (query.Service is { } service)
        {
            conditions.Add(SqlFragment.Format($"service = {ClickHouseSql.Quote(service)}"));
        }

        if (query.MinSeverityNumber is { } severity)
        {
            conditions.Add(SqlFragment.Format($"severity_number >= {ClickHouseSql.Number(severity)}"));
        }

        if (!string.IsNullOrEmpty(query.Contains))
        {
            // position() compares bytes: a case-sensitive substring test on the UTF-8 display text.
            conditions.Add(SqlFragment.Format($"position(body, {ClickHouseSql.Quote(query.Contains)}) > 0"));
        }

        if (query.TraceId is { } traceId)
        {
            conditions.Add(SqlFragment.Format($"trace_id = {ClickHouseSql.Quote(traceId.IsEmpty ? string.Empty : traceId.ToString())}"));
        }

        return conditions.Count == 0
            ? SqlFragment.Empty
            : SqlFragment.Format($"\n  AND {SqlFragment.Join("\n  AND ", conditions)}");
    }
}
