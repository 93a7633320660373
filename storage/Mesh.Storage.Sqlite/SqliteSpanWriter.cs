using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Microsoft.Data.Sqlite;

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
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)";

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

    private int Write(SqliteConnection connection, IReadOnlyList<Span> spans)
    {
        using var transaction = connection.BeginTransaction();
        var metadata = new SqliteMetadata(_connection, connection, transaction);
        using var insert = new RawStatement(connection, InsertSql);
        using var json = new JsonScratch();
        Span<byte> traceId = stackalloc byte[TraceId.ByteLength];
        var newOperations = new List<(string Service, string Name, int Kind)>();
        foreach (var span in spans)
        {
            var service = span.ServiceName;
            span.TraceId.WriteTo(traceId);
            insert.BindBlob(1, traceId);
            insert.Bind(2, unchecked((long)span.SpanId.Value));
            insert.Bind(3, unchecked((long)span.ParentSpanId.Value));
            insert.Bind(4, span.TraceState);
            insert.Bind(5, span.Flags);
            insert.Bind(6, span.Name);
            insert.Bind(7, (long)span.Kind);
            insert.Bind(8, span.StartTimeUnixNano);
            insert.Bind(9, span.EndTimeUnixNano);
            insert.Bind(10, span.DurationNanos);
            insert.Bind(11, (long)span.StatusCode);
            insert.Bind(12, span.StatusMessage);
            insert.Bind(13, service);
            insert.Bind(14, metadata.ResourceId(span.Resource));
            insert.Bind(15, metadata.ScopeId(span.Scope));
            insert.BindUtf8(16, json.Attributes(span.Attributes));
            insert.Bind(17, span.DroppedAttributesCount);
            insert.BindUtf8(18, json.Events(span.Events));
            insert.Bind(19, span.DroppedEventsCount);
            insert.BindUtf8(20, json.Links(span.Links));
            insert.Bind(21, span.DroppedLinksCount);
            insert.Execute();

            var operation = (service, span.Name, (int)span.Kind);
            if (!_connection.KnownOperations.Contains(operation) && !newOperations.Contains(operation))
            {
                newOperations.Add(operation);
            }
        }

        if (newOperations.Count > 0)
        {
            using var op = new RawStatement(connection, "INSERT OR IGNORE INTO operations (service, name, kind) VALUES (?1, ?2, ?3)");
            foreach (var (service, name, kind) in newOperations)
            {
                op.Bind(1, service);
                op.Bind(2, name);
                op.Bind(3, kind);
                op.Execute();
            }
        }

        transaction.Commit();
        metadata.Committed();
        _connection.KnownOperations.UnionWith(newOperations);
        return spans.Count;
    }
}
