using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Otlp.Conversion;
using Mesh.Otlp.Storage;
using Mesh.Otlp.Wire;
using Microsoft.Data.Sqlite;

namespace Mesh.Storage.Sqlite;

/// <summary>
/// Writes a batch in one transaction: the spans grouped by trace (<see cref="TraceOrder"/>), then one trace_runs
/// entry per trace naming the row ids its spans took. <see cref="WriteMode.First"/> inserts without looking;
/// <see cref="WriteMode.Replay"/> first reads, through trace_runs, which spans of the batch are stored already and
/// inserts only the others (a span repeated inside the batch once). OTLP requests go from their protobuf bytes to
/// rows without the model (<see cref="SpanRowsVisitor"/>); a request the wire walk declines goes through the model.
/// </summary>
internal sealed class SqliteSpanWriter : ISpanWriter, IOtlpSpanWriter, IDisposable
{
    private const string InsertSql =
        "INSERT INTO spans (trace_id, span_id, parent_span_id, trace_state, flags, name, kind, start_ns, end_ns, duration_ns, " +
        "status_code, status_message, service, resource_id, scope_id, attributes, dropped_attributes, events, dropped_events, links, dropped_links) " +
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)";

    private const string InsertRunSql = "INSERT INTO trace_runs (trace_key, first_rowid, last_rowid) VALUES (?1, ?2, ?3)";

    private readonly SqliteWriteConnection _connection;

    // Only used under the connection's gate, one batch at a time.
    private readonly SpanRows _rows = new();
    private readonly SpanRowsVisitor _visitor = new();
    private readonly List<Span> _declined = [];

    public SqliteSpanWriter(SqliteWriteConnection connection) => _connection = connection;

    public async ValueTask WriteSpansAsync(IReadOnlyList<Span> spans, WriteMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0)
        {
            return;
        }

        await _connection.RunAsync((connection, _) => Write(connection, mode, spans, static (rows, metadata, spans) =>
        {
            AddModel(rows, metadata, spans);
            return 0;
        }), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<int> WriteOtlpAsync(IReadOnlyList<ReadOnlyMemory<byte>> requests, WriteMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            return 0;
        }

        return await _connection.RunAsync((connection, _) => Write(connection, mode, requests, AddOtlp), cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _rows.Dispose();
        _visitor.Dispose();
    }

    private static void AddModel(SpanRows rows, SqliteMetadata metadata, IReadOnlyList<Span> spans)
    {
        foreach (var span in spans)
        {
            rows.AddModel(span, metadata.ResourceId(span.Resource), metadata.ScopeId(span.Scope));
        }
    }

    /// <returns>How many requests were left out because they do not parse.</returns>
    private int AddOtlp(SpanRows rows, SqliteMetadata metadata, IReadOnlyList<ReadOnlyMemory<byte>> requests)
    {
        var skipped = 0;
        _visitor.Start(rows, metadata);
        foreach (var request in requests)
        {
            var mark = rows.Count;
            if (OtlpTraceWire.TryWalk(request.Span, _visitor))
            {
                continue;
            }

            // What the walk declines (rare: protobuf's merge rules would decide it) goes through the model.
            rows.Truncate(mark);
            _declined.Clear();
            if (OtlpSpans.TryToModel(request.Span, _declined))
            {
                AddModel(rows, metadata, _declined);
            }
            else
            {
                // Cannot happen for a spooled request (validated on receipt, checksummed on disk); failing the
                // batch for it would retry it forever. It is left out, and the caller told.
                skipped++;
            }
        }

        return skipped;
    }

    /// <summary>
    /// The (trace id, span id) of every span of the batch already stored, read trace by trace through trace_runs.
    /// </summary>
    private static HashSet<(TraceId, long)> FindStored(SqliteConnection connection, SpanRows rows, TraceOrder order)
    {
        var stored = new HashSet<(TraceId, long)>(rows.Count);
        using var select = new RawStatement(connection, SqliteSpanSql.StoredSpanIds);
        Span<byte> traceId = stackalloc byte[TraceId.ByteLength];
        for (var i = 0; i < order.Count; i++)
        {
            var id = rows[order[i]].TraceId;
            if (i > 0 && rows[order[i - 1]].TraceId == id)
            {
                continue;
            }

            id.WriteTo(traceId);
            select.Bind(1, TraceKey.Of(id));
            select.BindBlob(2, traceId);
            while (select.Step())
            {
                stored.Add((id, select.ColumnInt64(0)));
            }

            select.Reset();
        }

        return stored;
    }

    private int Write<TSource>(
        SqliteConnection connection,
        WriteMode mode,
        TSource source,
        Func<SpanRows, SqliteMetadata, TSource, int> fill)
    {
        var rows = _rows;
        rows.Clear();
        using var transaction = connection.BeginTransaction();
        var metadata = new SqliteMetadata(_connection, connection, transaction);
        var skipped = fill(rows, metadata, source);
        using var order = TraceOrder.Of(rows);

        // Replay: what is stored already, and then what this batch has inserted, so a repeat inside it is skipped too.
        var skip = mode == WriteMode.Replay ? FindStored(connection, rows, order) : null;
        using var insert = new RawStatement(connection, InsertSql);
        using var insertRun = new RawStatement(connection, InsertRunSql);
        Span<byte> traceId = stackalloc byte[TraceId.ByteLength];
        var inRun = false;
        var runTrace = TraceId.Empty;
        long runFirst = 0;
        long runLast = 0;
        for (var i = 0; i < order.Count; i++)
        {
            ref readonly var row = ref rows[order[i]];
            if (skip is not null && !skip.Add((row.TraceId, row.SpanId)))
            {
                continue;
            }

            var startsRun = !inRun || row.TraceId != runTrace;
            if (startsRun && inRun)
            {
                InsertRun(insertRun, runTrace, runFirst, runLast);
            }

            row.TraceId.WriteTo(traceId);
            insert.BindBlob(1, traceId);
            insert.Bind(2, row.SpanId);
            insert.Bind(3, row.ParentSpanId);
            insert.BindUtf8(4, rows.Text(row.TraceState));
            insert.Bind(5, row.Flags);
            insert.BindUtf8(6, rows.Text(row.Name));
            insert.Bind(7, row.Kind);
            insert.Bind(8, row.StartNs);
            insert.Bind(9, row.EndNs);
            insert.Bind(10, Math.Max(0, row.EndNs - row.StartNs));
            insert.Bind(11, row.StatusCode);
            insert.BindUtf8(12, rows.Text(row.StatusMessage));
            insert.Bind(13, rows.Service(row.Service));
            insert.Bind(14, row.ResourceId);
            insert.Bind(15, row.ScopeId);
            insert.BindUtf8(16, rows.Text(row.Attributes));
            insert.Bind(17, row.DroppedAttributes);
            insert.BindUtf8(18, rows.Text(row.Events));
            insert.Bind(19, row.DroppedEvents);
            insert.BindUtf8(20, rows.Text(row.Links));
            insert.Bind(21, row.DroppedLinks);
            insert.Execute();
            runLast = insert.LastInsertRowId;
            if (startsRun)
            {
                (inRun, runTrace, runFirst) = (true, row.TraceId, runLast);
            }
        }

        if (inRun)
        {
            InsertRun(insertRun, runTrace, runFirst, runLast);
        }

        var newOperations = rows.Operations.Where(o => !_connection.KnownOperations.Contains(o)).ToList();
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
        return skipped;
    }

    private static void InsertRun(RawStatement insertRun, TraceId traceId, long first, long last)
    {
        insertRun.Bind(1, TraceKey.Of(traceId));
        insertRun.Bind(2, first);
        insertRun.Bind(3, last);
        insertRun.Execute();
    }
}
