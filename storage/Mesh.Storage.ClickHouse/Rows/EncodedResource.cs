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

    /// <summary>resource_attributes (AttributeJson), resource_dropped_attributes_count, resource_schema_url: the logs table's.</summary>
    public required byte[] Columns { get; init; }

    /// <summary>resource_attr_text (<see cref="AttributeText"/>), resource_dropped_attributes_count, resource_schema_url: the spans table's.</summary>
    public required byte[] SpanColumns { get; init; }
}
