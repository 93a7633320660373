using System.Text.Json;
using Mesh.Core.Telemetry;
using Mesh.Storage.ClickHouse.Client;

namespace Mesh.Storage.ClickHouse.Rows;

/// <summary>
/// Reads the resource and scope columns of a reply, building each distinct resource and scope once:
/// the spans of a trace or the records of a page mostly share them, and equal objects need not be
/// parsed and held twice.
/// </summary>
internal sealed class SharedValueReader
{
    private readonly Dictionary<(string Attributes, uint Dropped, string SchemaUrl), Resource> _resources = [];
    private readonly Dictionary<(string Name, string Version, string Attributes, uint Dropped, string SchemaUrl), InstrumentationScope> _scopes = [];

    public Resource Resource(JsonElement row)
    {
        // Spans written with AttributeText have it and leave the JSON empty; logs, and older spans, have JSON.
        var text = row.TryGetProperty("resource_attr_text", out var column) ? column.GetString() ?? string.Empty : string.Empty;
        var json = JsonEachRow.String(row, "resource_attributes");
        var key = (
            json.Length == 0 ? "\u0001" + text : json,
            JsonEachRow.UInt32(row, "resource_dropped_attributes_count"),
            JsonEachRow.String(row, "resource_schema_url"));
        if (!_resources.TryGetValue(key, out var resource))
        {
            resource = new Resource
            {
                Attributes = json.Length == 0 ? AttributeText.Read(text) : AttributeJson.DeserializeAttributes(json),
                DroppedAttributesCount = key.Item2,
                SchemaUrl = key.Item3,
            };
            _resources.Add(key, resource);
        }

        return resource;
    }

    public InstrumentationScope Scope(JsonElement row)
    {
        var key = (
            JsonEachRow.String(row, "scope_name"),
            JsonEachRow.String(row, "scope_version"),
            JsonEachRow.String(row, "scope_attributes"),
            JsonEachRow.UInt32(row, "scope_dropped_attributes_count"),
            JsonEachRow.String(row, "scope_schema_url"));
        if (!_scopes.TryGetValue(key, out var scope))
        {
            scope = new InstrumentationScope
            {
                Name = key.Item1,
                Version = key.Item2,
                Attributes = AttributeJson.DeserializeAttributes(key.Item3),
                DroppedAttributesCount = key.Item4,
                SchemaUrl = key.Item5,
            };
            _scopes.Add(key, scope);
        }

        return scope;
    }

    /// <summary>A span id column that holds 16 hex characters or an empty string for "none".</summary>
    public static SpanId OptionalSpanId(JsonElement row, string column) =>
        SpanId.TryParse(JsonEachRow.String(row, column), out var id) ? id : SpanId.Empty;

    /// <summary>A trace id column that holds 32 hex characters or an empty string for "none".</summary>
    public static TraceId OptionalTraceId(JsonElement row, string column) =>
        TraceId.TryParse(JsonEachRow.String(row, column), out var id) ? id : TraceId.Empty;
}
