using System.Globalization;
using System.Text;

namespace Mesh.Storage.Sqlite;

/// <summary>
/// The statements that find spans by trace id. There is no index on spans.trace_id: each goes through
/// trace_runs by trace_key to row-id ranges of spans, then matches the full trace id (keys can collide).
/// </summary>
internal static class SqliteSpanSql
{
    /// <summary>The span columns a full read selects, in the order <see cref="SqliteSpanReader"/> reads them.</summary>
    public const string SpanColumns =
        "s.trace_id, s.span_id, s.parent_span_id, s.trace_state, s.flags, s.name, s.kind, s.start_ns, s.end_ns, s.status_code, " +
        "s.status_message, s.attributes, s.dropped_attributes, s.events, s.dropped_events, s.links, s.dropped_links";

    /// <summary>Every span of one trace with its resource and scope; parameters $k (trace key) and $t (trace id).</summary>
    public const string Trace =
        $"SELECT {SpanColumns}, {SqliteRowReader.MetadataColumns} FROM {RunsToSpans} " +
        "JOIN resources r ON r.id = s.resource_id JOIN scopes sc ON sc.id = s.scope_id " +
        "WHERE tr.trace_key = $k AND s.trace_id = $t ORDER BY s.start_ns, s.span_id";

    /// <summary>The span ids stored for one trace; parameters ?1 (trace key) and ?2 (trace id).</summary>
    public const string StoredSpanIds = $"SELECT s.span_id FROM {RunsToSpans} WHERE tr.trace_key = ?1 AND s.trace_id = ?2";

    /// <summary>A trace_runs entry joined to the spans it covers; CROSS JOIN keeps trace_runs the outer loop.</summary>
    private const string RunsToSpans = "trace_runs tr CROSS JOIN spans s ON s.rowid BETWEEN tr.first_rowid AND tr.last_rowid";

    /// <summary>
    /// What a trace summary needs from every span of <paramref name="traces"/> traces; parameters $k0, $t0, $k1, $t1 …
    /// (each trace's key and id). A span matching one id and another's key is still one of the wanted traces.
    /// </summary>
    public static string Summaries(int traces)
    {
        var keys = new StringBuilder();
        var ids = new StringBuilder();
        for (var i = 0; i < traces; i++)
        {
            var comma = i == 0 ? string.Empty : ", ";
            keys.Append(CultureInfo.InvariantCulture, $"{comma}$k{i}");
            ids.Append(CultureInfo.InvariantCulture, $"{comma}$t{i}");
        }

        return $"SELECT s.trace_id, s.parent_span_id, s.service, s.name, s.start_ns, s.end_ns, s.status_code FROM {RunsToSpans} " +
            $"WHERE tr.trace_key IN ({keys}) AND s.trace_id IN ({ids})";
    }
}
