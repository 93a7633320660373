using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Microsoft.Data.Sqlite;

namespace Mesh.Storage.Sqlite;

/// <summary>
/// Writes a batch in one transaction: the spans grouped by trace (<see cref="TraceOrder"/>), then one trace_runs
/// entry per trace naming the row ids its spans took. <see cref="WriteMode.First"/> inserts without looking;
/// <see cref="WriteMode.Replay"/> first reads, through trace_runs, which spans of the batch are stored already and
/// inserts only the others (a span repeated inside the batch once).
/// </summary>
internal sealed class SqliteSpanWriter : ISpanWriter
{
    private const string InsertSql =
        "INSERT INTO spans (trace_id, span_id, parent_span_id, trace_state, flags, name, kind, start_ns, end_ns, duration_ns, " +
        "status_code, status_message, service, resource_id, scope_id, attributes, dropped_attributes, events, dropped_events, links, dropped_links) " +
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)";

    private const string InsertRunSql = "INSERT INTO trace_runs (trace_key, first_rowid, last_rowid) VALUES (?1, ?2, ?3)";

    private readonly SqliteWriteConnection _connection;

    public SqliteSpanWriter(SqliteWriteConnection connection) => _connection = connection;

    public async ValueTask WriteSpansAsync(IReadOnlyList<Span> spans, WriteMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0)
        {
            return;
        }

        await _connection.RunAsync((connection, _) => Write(connection, spans, mode), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The (trace id, span id) of every span of the batch already stored, read trace by trace through trace_runs.
    /// </summary>
    private static HashSet<(TraceId, SpanId)> FindStored(SqliteConnection connection, IReadOnlyList<Span> spans, TraceOrder order)
    {
        var stored = new HashSet<(TraceId, SpanId)>(spans.Count);
        using var select = new RawStatement(connection, SqliteSpanSql.StoredSpanIds);
        Span<byte> traceId = stackalloc byte[TraceId.ByteLength];
        for (var i = 0; i < order.Count; i++)
        {
            var id = spans[order[i]].TraceId;
            if (i > 0 && spans[order[i - 1]].TraceId == id)
            {
                continue;
            }

            id.WriteTo(traceId);
            select.Bind(1, TraceKey.Of(id));
            select.BindBlob(2, traceId);
            while (select.Step())
            {
                stored.Add((id, new SpanId(unchecked((ulong)select.ColumnInt64(0)))));
            }

            select.Reset();
        }

        return stored;
    }

    private int Write(SqliteConnection connection, IReadOnlyList<Span> spans, WriteMode mode)
    {
        using var order = TraceOrder.Of(spans);
        using var transaction = connection.BeginTransaction();

        // Replay: what is stored already, and then what this batch has inserted, so a repeat inside it is skipped too.
        var skip = mode == WriteMode.Replay ? FindStored(connection, spans, order) : null;
        var metadata = new SqliteMetadata(_connection, connection, transaction);
        using var insert = new RawStatement(connection, InsertSql);
        using var insertRun = new RawStatement(connection, InsertRunSql);
        using var json = new JsonScratch();
        Span<byte> traceId = stackalloc byte[TraceId.ByteLength];
        var newOperations = new List<(string Service, string Name, int Kind)>();
        var inRun = false;
        var runTrace = TraceId.Empty;
        long runFirst = 0;
        long runLast = 0;
        for (var i = 0; i < order.Count; i++)
        {
            var span = spans[order[i]];
            if (skip is not null && !skip.Add((span.TraceId, span.SpanId)))
            {
                continue;
            }

            var startsRun = !inRun || span.TraceId != runTrace;
            if (startsRun && inRun)
            {
                InsertRun(insertRun, runTrace, runFirst, runLast);
            }

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
            runLast = insert.LastInsertRowId;
            if (startsRun)
            {
                (inRun, runTrace, runFirst) = (true, span.TraceId, runLast);
            }

            var operation = (service, span.Name, (int)span.Kind);
            if (!_connection.KnownOperations.Contains(operation) && !newOperations.Contains(operation))
            {
                newOperations.Add(operation);
            }
        }

        if (inRun)
        {
            InsertRun(insertRun, runTrace, runFirst, runLast);
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

    private static void InsertRun(RawStatement insertRun, TraceId traceId, long first, long last)
    {
        insertRun.Bind(1, TraceKey.Of(traceId));
        insertRun.Bind(2, first);
        insertRun.Bind(3, last);
        insertRun.Execute();
    }
}
