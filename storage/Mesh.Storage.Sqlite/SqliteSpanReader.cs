using System.Globalization;
using System.Text;
using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Microsoft.Data.Sqlite;

namespace Mesh.Storage.Sqlite;

/// <summary>Span queries over pooled read connections (WAL readers never block the writer).</summary>
internal sealed class SqliteSpanReader : ISpanReader
{
    /// <summary>Where the metadata columns start, after <see cref="SqliteSpanSql.SpanColumns"/>.</summary>
    private const int MetadataOrdinal = 17;

    private readonly string _connectionString;

    public SqliteSpanReader(string connectionString) => _connectionString = connectionString;

    public async ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceId traceId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SqliteSpanSql.Trace;
        command.Parameters.AddWithValue("$k", TraceKey.Of(traceId));
        command.Parameters.AddWithValue("$t", traceId.ToBytes());
        await using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new SqliteRowReader();
        var spans = new List<Span>();
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            spans.Add(ReadSpan(row, rows));
        }

        return spans;
    }

    public async ValueTask<IReadOnlyList<TraceSummary>> FindTracesAsync(TraceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var traceIds = await FindTraceIdsAsync(connection, query, cancellationToken).ConfigureAwait(false);
        if (traceIds.Count == 0)
        {
            return [];
        }

        return await SummariseAsync(connection, traceIds, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<string>> GetServicesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT service FROM operations ORDER BY service";
        var services = new List<string>();
        await using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            services.Add(row.GetString(0));
        }

        return services;
    }

    public async ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(string service, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, kind FROM operations WHERE service = $s ORDER BY name, kind";
        command.Parameters.AddWithValue("$s", service);
        var operations = new List<Operation>();
        await using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            operations.Add(new Operation(row.GetString(0), (SpanKind)row.GetInt64(1)));
        }

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

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await SqliteTopOperations.ReadAsync(connection, query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Walks matching spans newest first along the (service, start) or (start) index and stops as soon as
    /// <see cref="TraceQuery.Limit"/> distinct traces are seen, so a wide window costs no more than a narrow one.
    /// </summary>
    private static async Task<List<TraceId>> FindTraceIdsAsync(SqliteConnection connection, TraceQuery query, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT s.trace_id FROM spans s");
        if (query.Attributes.Count > 0)
        {
            sql.Append(" JOIN resources r ON r.id = s.resource_id");
        }

        sql.Append(" WHERE s.start_ns >= $start AND s.start_ns < $end");
        command.Parameters.AddWithValue("$start", query.StartUnixNano);
        command.Parameters.AddWithValue("$end", query.EndUnixNano);
        if (query.Service is not null)
        {
            sql.Append(" AND s.service = $service");
            command.Parameters.AddWithValue("$service", query.Service);
        }

        if (query.Operation is not null)
        {
            sql.Append(" AND s.name = $operation");
            command.Parameters.AddWithValue("$operation", query.Operation);
        }

        if (query.MinDurationNanos is { } min)
        {
            sql.Append(" AND s.duration_ns >= $min");
            command.Parameters.AddWithValue("$min", min);
        }

        if (query.MaxDurationNanos is { } max)
        {
            sql.Append(" AND s.duration_ns <= $max");
            command.Parameters.AddWithValue("$max", max);
        }

        if (query.Status == TraceStatusFilter.Error)
        {
            sql.Append(" AND s.status_code = 2");
        }
        else if (query.Status == TraceStatusFilter.Ok)
        {
            sql.Append(" AND s.status_code <> 2");
        }

        for (var i = 0; i < query.Attributes.Count; i++)
        {
            var (key, value) = (query.Attributes[i].Key, query.Attributes[i].Value);
            sql.Append(CultureInfo.InvariantCulture, $" AND ({AttributeMatch("s.attributes", i)} OR {AttributeMatch("r.attributes", i)})");
            command.Parameters.AddWithValue($"$k{i}", key);
            command.Parameters.AddWithValue($"$v{i}", value);
            command.Parameters.AddWithValue(
                $"$n{i}",
                double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : DBNull.Value);
            command.Parameters.AddWithValue($"$b{i}", value is "true" or "false" ? value : DBNull.Value);
        }

        sql.Append(" ORDER BY s.start_ns DESC");
        command.CommandText = sql.ToString();
        var seen = new HashSet<TraceId>();
        var ordered = new List<TraceId>();
        var limit = Math.Clamp(query.Limit, 1, TraceQuery.MaxLimit);
        await using var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (ordered.Count < limit && await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = SqliteRowReader.ReadTraceId(row, 0);
            if (seen.Add(id))
            {
                ordered.Add(id);
            }
        }

        return ordered;
    }

    /// <summary>
    /// Matches one attribute of a JSON attribute object by its display text: strings as text,
    /// numbers numerically, booleans by JSON type (SQLite would otherwise read true as 1).
    /// </summary>
    private static string AttributeMatch(string column, int i) =>
        $"EXISTS (SELECT 1 FROM json_each({column}) j WHERE j.key = $k{i} AND " +
        $"((j.type = 'text' AND j.value = $v{i}) OR (j.type IN ('integer', 'real') AND j.value = $n{i}) OR j.type = $b{i}))";

    private static async Task<IReadOnlyList<TraceSummary>> SummariseAsync(SqliteConnection connection, List<TraceId> traceIds, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = SqliteSpanSql.Summaries(traceIds.Count);
        for (var i = 0; i < traceIds.Count; i++)
        {
            command.Parameters.AddWithValue(string.Create(CultureInfo.InvariantCulture, $"$k{i}"), TraceKey.Of(traceIds[i]));
            command.Parameters.AddWithValue(string.Create(CultureInfo.InvariantCulture, $"$t{i}"), traceIds[i].ToBytes());
        }

        var builders = traceIds.ToDictionary(id => id, _ => new TraceSummaryBuilder());
        await using (var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                builders[SqliteRowReader.ReadTraceId(row, 0)].Add(
                    hasParent: row.GetInt64(1) != 0,
                    service: row.GetString(2),
                    name: row.GetString(3),
                    start: row.GetInt64(4),
                    end: row.GetInt64(5),
                    isError: row.GetInt64(6) == (long)StatusCode.Error);
            }
        }

        return traceIds.Select(id => builders[id].Build(id)).ToList();
    }

    private static Span ReadSpan(SqliteDataReader row, SqliteRowReader rows) => new()
    {
        TraceId = SqliteRowReader.ReadTraceId(row, 0),
        SpanId = SqliteRowReader.ReadSpanId(row, 1),
        ParentSpanId = SqliteRowReader.ReadSpanId(row, 2),
        TraceState = row.GetString(3),
        Flags = (uint)row.GetInt64(4),
        Name = row.GetString(5),
        Kind = (SpanKind)row.GetInt64(6),
        StartTimeUnixNano = row.GetInt64(7),
        EndTimeUnixNano = row.GetInt64(8),
        StatusCode = (StatusCode)row.GetInt64(9),
        StatusMessage = row.GetString(10),
        Attributes = AttributeJson.DeserializeAttributes(row.GetString(11)),
        DroppedAttributesCount = (uint)row.GetInt64(12),
        Events = AttributeJson.DeserializeEvents(row.GetString(13)),
        DroppedEventsCount = (uint)row.GetInt64(14),
        Links = AttributeJson.DeserializeLinks(row.GetString(15)),
        DroppedLinksCount = (uint)row.GetInt64(16),
        Resource = rows.ReadResource(row, MetadataOrdinal),
        Scope = rows.ReadScope(row, MetadataOrdinal),
    };

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
