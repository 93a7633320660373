using Mesh.Core.Telemetry;
using Microsoft.Data.Sqlite;

namespace Mesh.Storage.Sqlite;

/// <summary>Turns joined resource/scope columns back into model objects, parsing each distinct one once per query.</summary>
internal sealed class SqliteRowReader
{
    /// <summary>The columns every span/log query selects after its own, in this order.</summary>
    public const string MetadataColumns =
        "r.id, r.attributes, r.dropped_attributes, r.schema_url, sc.id, sc.name, sc.version, sc.attributes, sc.dropped_attributes, sc.schema_url";

    private readonly Dictionary<long, Resource> _resources = [];
    private readonly Dictionary<long, InstrumentationScope> _scopes = [];

    public Resource ReadResource(SqliteDataReader row, int first)
    {
        var id = row.GetInt64(first);
        if (!_resources.TryGetValue(id, out var resource))
        {
            resource = new Resource
            {
                Attributes = AttributeJson.DeserializeAttributes(row.GetString(first + 1)),
                DroppedAttributesCount = (uint)row.GetInt64(first + 2),
                SchemaUrl = row.GetString(first + 3),
            };
            _resources[id] = resource;
        }

        return resource;
    }

    public InstrumentationScope ReadScope(SqliteDataReader row, int first)
    {
        var id = row.GetInt64(first + 4);
        if (!_scopes.TryGetValue(id, out var scope))
        {
            scope = new InstrumentationScope
            {
                Name = row.GetString(first + 5),
                Version = row.GetString(first + 6),
                Attributes = AttributeJson.DeserializeAttributes(row.GetString(first + 7)),
                DroppedAttributesCount = (uint)row.GetInt64(first + 8),
                SchemaUrl = row.GetString(first + 9),
            };
            _scopes[id] = scope;
        }

        return scope;
    }

    public static TraceId ReadTraceId(SqliteDataReader row, int ordinal)
    {
        if (row.IsDBNull(ordinal))
        {
            return TraceId.Empty;
        }

        var bytes = (byte[])row.GetValue(ordinal);
        return TraceId.TryRead(bytes, out var id) ? id : TraceId.Empty;
    }

    public static SpanId ReadSpanId(SqliteDataReader row, int ordinal) => new(unchecked((ulong)row.GetInt64(ordinal)));
}
