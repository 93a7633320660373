using System.Text;
using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Microsoft.Data.Sqlite;

namespace Mesh.Storage.Sqlite;

/// <summary>Log queries along the (service, time) or (time) index, newest first.</summary>
internal sealed class SqliteLogReader : ILogReader
{
    private const string LogColumns =
        "l.log_id, l.time_ns, l.observed_ns, l.severity_number, l.severity_text, l.body, l.event_name, l.attributes, " +
        "l.dropped_attributes, l.flags, l.trace_id, l.span_id";

    private const int MetadataOrdinal = 12;

    private readonly string _connectionString;

    public SqliteLogReader(string connectionString) => _connectionString = connectionString;

    public async ValueTask<IReadOnlyList<LogRecord>> FindLogsAsync(LogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder(
            $"SELECT {LogColumns}, {SqliteRowReader.MetadataColumns} FROM logs l " +
            "JOIN resources r ON r.id = l.resource_id JOIN scopes sc ON sc.id = l.scope_id " +
            "WHERE l.effective_ns >= $start AND l.effective_ns < $end");
        command.Parameters.AddWithValue("$start", query.StartUnixNano);
        command.Parameters.AddWithValue("$end", query.EndUnixNano);
        if (query.Service is not null)
        {
            sql.Append(" AND l.service = $service");
            command.Parameters.AddWithValue("$service", query.Service);
        }

        if (query.MinSeverityNumber is { } severity)
        {
            sql.Append(" AND l.severity_number >= $severity");
            command.Parameters.AddWithValue("$severity", severity);
        }

        if (!string.IsNullOrEmpty(query.Contains))
        {
            // instr() is case-sensitive, unlike LIKE.
            sql.Append(" AND instr(l.body_text, $contains) > 0");
            command.Parameters.AddWithValue("$contains", query.Contains);
        }

        if (query.TraceId is { } traceId)
        {
            sql.Append(" AND l.trace_id = $trace");
            command.Parameters.AddWithValue("$trace", traceId.ToBytes());
        }

        sql.Append(" ORDER BY l.effective_ns DESC, l.log_id DESC LIMIT $limit");
        command.Parameters.AddWithValue("$limit", Math.Clamp(query.Limit, 1, LogQuery.MaxLimit));
        command.CommandText = sql.ToString();

        var rows = new SqliteRowReader();
        var logs = new List<LogRecord>();
        await using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            logs.Add(new LogRecord
            {
                LogId = unchecked((ulong)row.GetInt64(0)),
                TimeUnixNano = row.GetInt64(1),
                ObservedTimeUnixNano = row.GetInt64(2),
                SeverityNumber = (int)row.GetInt64(3),
                SeverityText = row.GetString(4),
                Body = AttributeJson.DeserializeValue(row.GetString(5)),
                EventName = row.GetString(6),
                Attributes = AttributeJson.DeserializeAttributes(row.GetString(7)),
                DroppedAttributesCount = (uint)row.GetInt64(8),
                Flags = (uint)row.GetInt64(9),
                TraceId = SqliteRowReader.ReadTraceId(row, 10),
                SpanId = SqliteRowReader.ReadSpanId(row, 11),
                Resource = rows.ReadResource(row, MetadataOrdinal),
                Scope = rows.ReadScope(row, MetadataOrdinal),
            });
        }

        return logs;
    }
}
