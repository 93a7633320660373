namespace Mesh.Storage.ClickHouse.Rows;

/// <summary>
/// A resource's columns, encoded once per batch and copied into every row that shares the resource
/// (an OTLP batch has a handful of resources for thousands of spans).
/// </summary>
internal sealed class EncodedResource
{
    public required string ServiceName { get; init; }

    /// <summary>The service name as a RowBinary <c>String</c>.</summary>
    public required byte[] Service { get; init; }

    /// <summary>resource_attributes, resource_dropped_attributes_count, resource_schema_url.</summary>
    public required byte[] Columns { get; init; }

    /// <summary>The attribute keys as consecutive RowBinary strings, to follow a row's own keys in search_keys.</summary>
    public required byte[] SearchKeys { get; init; }

    /// <summary>The attributes' display values, parallel to <see cref="SearchKeys"/>.</summary>
    public required byte[] SearchValues { get; init; }

    public required int AttributeCount { get; init; }
}
