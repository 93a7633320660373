using System.Text.Json;
using Mesh.Core.Telemetry;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Rows;

namespace Mesh.Storage.ClickHouse.Logs;

/// <summary>Builds log records from the columns <c>Sql/find_logs.sql</c> returns; one instance per reply.</summary>
internal sealed class LogRowReader
{
    private readonly SharedValueReader _shared = new();

    public LogRecord Read(JsonElement row)
    {
        var bodyJson = JsonEachRow.String(row, "body_json");
        return new LogRecord
        {
            LogId = JsonEachRow.UInt64(row, "log_id"),
            TimeUnixNano = JsonEachRow.Int64(row, "time_unix_nano"),
            ObservedTimeUnixNano = JsonEachRow.Int64(row, "observed_time_unix_nano"),
            SeverityNumber = JsonEachRow.Int32(row, "severity_number"),
            SeverityText = JsonEachRow.String(row, "severity_text"),
            Body = bodyJson.Length == 0 ? AnyValue.Of(JsonEachRow.String(row, "body")) : AttributeJson.DeserializeValue(bodyJson),
            EventName = JsonEachRow.String(row, "event_name"),
            Attributes = AttributeJson.DeserializeAttributes(JsonEachRow.String(row, "attributes")),
            DroppedAttributesCount = JsonEachRow.UInt32(row, "dropped_attributes_count"),
            Flags = JsonEachRow.UInt32(row, "flags"),
            TraceId = SharedValueReader.OptionalTraceId(row, "trace_id"),
            SpanId = SharedValueReader.OptionalSpanId(row, "span_id"),
            Resource = _shared.Resource(row),
            Scope = _shared.Scope(row),
        };
    }
}
