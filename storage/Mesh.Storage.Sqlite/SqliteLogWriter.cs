using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Microsoft.Data.Sqlite;

namespace Mesh.Storage.Sqlite;

/// <summary>Writes log records in one transaction; <c>INSERT OR IGNORE</c> on the log id primary key makes it idempotent.</summary>
internal sealed class SqliteLogWriter : ILogWriter
{
    private const string InsertSql =
        "INSERT OR IGNORE INTO logs (log_id, time_ns, observed_ns, effective_ns, service, severity_number, severity_text, body_text, body, " +
        "event_name, attributes, dropped_attributes, flags, trace_id, span_id, resource_id, scope_id) " +
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";

    private readonly SqliteWriteConnection _connection;

    public SqliteLogWriter(SqliteWriteConnection connection) => _connection = connection;

    public async ValueTask WriteLogsAsync(IReadOnlyList<LogRecord> logs, WriteMode mode, CancellationToken cancellationToken)
    {
        if (logs.Count == 0)
        {
            return;
        }

        await _connection.RunAsync((connection, _) => Write(connection, logs), cancellationToken).ConfigureAwait(false);
    }

    private int Write(SqliteConnection connection, IReadOnlyList<LogRecord> logs)
    {
        using var transaction = connection.BeginTransaction();
        var metadata = new SqliteMetadata(_connection, connection, transaction);
        using var insert = new RawStatement(connection, InsertSql);
        using var json = new JsonScratch();
        Span<byte> traceId = stackalloc byte[TraceId.ByteLength];
        foreach (var log in logs)
        {
            insert.Bind(1, unchecked((long)log.LogId));
            insert.Bind(2, log.TimeUnixNano);
            insert.Bind(3, log.ObservedTimeUnixNano);
            insert.Bind(4, log.EffectiveTimeUnixNano);
            insert.Bind(5, log.ServiceName);
            insert.Bind(6, log.SeverityNumber);
            insert.Bind(7, log.SeverityText);
            insert.Bind(8, log.Body.ToDisplayString());
            insert.BindUtf8(9, json.Value(log.Body));
            insert.Bind(10, log.EventName);
            insert.BindUtf8(11, json.Attributes(log.Attributes));
            insert.Bind(12, log.DroppedAttributesCount);
            insert.Bind(13, log.Flags);
            if (log.TraceId.IsEmpty)
            {
                insert.BindNull(14);
            }
            else
            {
                log.TraceId.WriteTo(traceId);
                insert.BindBlob(14, traceId);
            }

            insert.Bind(15, unchecked((long)log.SpanId.Value));
            insert.Bind(16, metadata.ResourceId(log.Resource));
            insert.Bind(17, metadata.ScopeId(log.Scope));
            insert.Execute();
        }

        transaction.Commit();
        metadata.Committed();
        return logs.Count;
    }
}
