using Mesh.Core.Storage;
using Mesh.Core.Telemetry;

namespace Mesh.Storage.Sqlite;

/// <summary>Writes log records in one transaction; <c>INSERT OR IGNORE</c> on the log id primary key makes it idempotent.</summary>
internal sealed class SqliteLogWriter : ILogWriter
{
    private const string InsertSql =
        "INSERT OR IGNORE INTO logs (log_id, time_ns, observed_ns, effective_ns, service, severity_number, severity_text, body_text, body, " +
        "event_name, attributes, dropped_attributes, flags, trace_id, span_id, resource_id, scope_id) " +
        "VALUES ($id, $t, $o, $e, $sv, $sn, $st, $bt, $b, $en, $a, $da, $f, $tr, $sp, $r, $sc)";

    private static readonly string[] Parameters =
        ["$id", "$t", "$o", "$e", "$sv", "$sn", "$st", "$bt", "$b", "$en", "$a", "$da", "$f", "$tr", "$sp", "$r", "$sc"];

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

    private int Write(Microsoft.Data.Sqlite.SqliteConnection connection, IReadOnlyList<LogRecord> logs)
    {
        using var transaction = connection.BeginTransaction();
        var metadata = new SqliteMetadata(_connection, connection, transaction);
        using var insert = metadata.Prepare(InsertSql, Parameters);
        var p = insert.Parameters;
        foreach (var log in logs)
        {
            p[0].Value = unchecked((long)log.LogId);
            p[1].Value = log.TimeUnixNano;
            p[2].Value = log.ObservedTimeUnixNano;
            p[3].Value = log.EffectiveTimeUnixNano;
            p[4].Value = log.ServiceName;
            p[5].Value = (long)log.SeverityNumber;
            p[6].Value = log.SeverityText;
            p[7].Value = log.Body.ToDisplayString();
            p[8].Value = AttributeJson.SerializeValue(log.Body);
            p[9].Value = log.EventName;
            p[10].Value = AttributeJson.Serialize(log.Attributes);
            p[11].Value = (long)log.DroppedAttributesCount;
            p[12].Value = (long)log.Flags;
            p[13].Value = log.TraceId.IsEmpty ? DBNull.Value : log.TraceId.ToBytes();
            p[14].Value = unchecked((long)log.SpanId.Value);
            p[15].Value = metadata.ResourceId(log.Resource);
            p[16].Value = metadata.ScopeId(log.Scope);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        metadata.Committed();
        return logs.Count;
    }
}
