using Mesh.Core.Storage;
using Mesh.Core.Telemetry;

namespace Mesh.Storage.Sqlite;

/// <summary>
/// Writes a batch of spans in one transaction with one prepared statement. <c>INSERT OR IGNORE</c> on the
/// unique (trace_id, span_id) index makes every write idempotent, so <see cref="WriteMode"/> needs no special path.
/// </summary>
internal sealed class SqliteSpanWriter : ISpanWriter
{
    private const string InsertSql =
        "INSERT OR IGNORE INTO spans (trace_id, span_id, parent_span_id, trace_state, flags, name, kind, start_ns, end_ns, duration_ns, " +
        "status_code, status_message, service, resource_id, scope_id, attributes, dropped_attributes, events, dropped_events, links, dropped_links) " +
        "VALUES ($t, $s, $p, $ts, $f, $n, $k, $st, $en, $du, $sc, $sm, $sv, $r, $sco, $a, $da, $e, $de, $l, $dl)";

    private static readonly string[] Parameters =
        ["$t", "$s", "$p", "$ts", "$f", "$n", "$k", "$st", "$en", "$du", "$sc", "$sm", "$sv", "$r", "$sco", "$a", "$da", "$e", "$de", "$l", "$dl"];

    private readonly SqliteWriteConnection _connection;

    public SqliteSpanWriter(SqliteWriteConnection connection) => _connection = connection;

    public async ValueTask WriteSpansAsync(IReadOnlyList<Span> spans, WriteMode mode, CancellationToken cancellationToken)
    {
        if (spans.Count == 0)
        {
            return;
        }

        await _connection.RunAsync((connection, _) => Write(connection, spans), cancellationToken).ConfigureAwait(false);
    }

    private int Write(Microsoft.Data.Sqlite.SqliteConnection connection, IReadOnlyList<Span> spans)
    {
        using var transaction = connection.BeginTransaction();
        var metadata = new SqliteMetadata(_connection, connection, transaction);
        using var insert = metadata.Prepare(InsertSql, Parameters);
        var p = insert.Parameters;
        var newOperations = new List<(string Service, string Name, int Kind)>();
        foreach (var span in spans)
        {
            var service = span.ServiceName;
            p[0].Value = span.TraceId.ToBytes();
            p[1].Value = unchecked((long)span.SpanId.Value);
            p[2].Value = unchecked((long)span.ParentSpanId.Value);
            p[3].Value = span.TraceState;
            p[4].Value = (long)span.Flags;
            p[5].Value = span.Name;
            p[6].Value = (long)span.Kind;
            p[7].Value = span.StartTimeUnixNano;
            p[8].Value = span.EndTimeUnixNano;
            p[9].Value = span.DurationNanos;
            p[10].Value = (long)span.StatusCode;
            p[11].Value = span.StatusMessage;
            p[12].Value = service;
            p[13].Value = metadata.ResourceId(span.Resource);
            p[14].Value = metadata.ScopeId(span.Scope);
            p[15].Value = AttributeJson.Serialize(span.Attributes);
            p[16].Value = (long)span.DroppedAttributesCount;
            p[17].Value = AttributeJson.SerializeEvents(span.Events);
            p[18].Value = (long)span.DroppedEventsCount;
            p[19].Value = AttributeJson.SerializeLinks(span.Links);
            p[20].Value = (long)span.DroppedLinksCount;
            insert.ExecuteNonQuery();

            var operation = (service, span.Name, (int)span.Kind);
            if (!_connection.KnownOperations.Contains(operation))
            {
                newOperations.Add(operation);
            }
        }

        if (newOperations.Count > 0)
        {
            using var op = metadata.Prepare("INSERT OR IGNORE INTO operations (service, name, kind) VALUES ($sv, $n, $k)", "$sv", "$n", "$k");
            foreach (var (service, name, kind) in newOperations)
            {
                op.Parameters[0].Value = service;
                op.Parameters[1].Value = name;
                op.Parameters[2].Value = (long)kind;
                op.ExecuteNonQuery();
            }
        }

        transaction.Commit();
        metadata.Committed();
        _connection.KnownOperations.UnionWith(newOperations);
        return spans.Count;
    }
}
