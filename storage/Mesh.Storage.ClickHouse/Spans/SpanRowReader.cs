using System.Text.Json;
using Mesh.Core.Telemetry;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Rows;

namespace Mesh.Storage.ClickHouse.Spans;

/// <summary>Builds spans from the columns <c>Sql/select_trace_spans.sql</c> returns; one instance per reply.</summary>
internal sealed class SpanRowReader
{
    private readonly SharedValueReader _shared = new();

    public Span Read(JsonElement row) => new()
    {
        TraceId = SharedValueReader.OptionalTraceId(row, "trace_id"),
        SpanId = SharedValueReader.OptionalSpanId(row, "span_id"),
        ParentSpanId = SharedValueReader.OptionalSpanId(row, "parent_span_id"),
        TraceState = JsonEachRow.String(row, "trace_state"),
        Flags = JsonEachRow.UInt32(row, "flags"),
        Name = JsonEachRow.String(row, "name"),
        Kind = (SpanKind)JsonEachRow.Int32(row, "kind"),
        StartTimeUnixNano = JsonEachRow.Int64(row, "start_time_unix_nano"),
        EndTimeUnixNano = JsonEachRow.Int64(row, "end_time_unix_nano"),
        StatusCode = (StatusCode)JsonEachRow.Int32(row, "status_code"),
        StatusMessage = JsonEachRow.String(row, "status_message"),
        Attributes = ReadAttributes(row),
        DroppedAttributesCount = JsonEachRow.UInt32(row, "dropped_attributes_count"),
        Events = AttributeJson.DeserializeEvents(JsonEachRow.String(row, "events")),
        DroppedEventsCount = JsonEachRow.UInt32(row, "dropped_events_count"),
        Links = AttributeJson.DeserializeLinks(JsonEachRow.String(row, "links")),
        DroppedLinksCount = JsonEachRow.UInt32(row, "dropped_links_count"),
        Resource = _shared.Resource(row),
        Scope = _shared.Scope(row),
    };

    /// <summary>From attr_text; from the JSON column for a span written before it (its JSON is never empty).</summary>
    private static IReadOnlyList<KeyValue> ReadAttributes(JsonElement row)
    {
        var json = JsonEachRow.String(row, "attributes");
        return json.Length == 0 ? AttributeText.Read(JsonEachRow.String(row, "attr_text")) : AttributeJson.DeserializeAttributes(json);
    }
}
