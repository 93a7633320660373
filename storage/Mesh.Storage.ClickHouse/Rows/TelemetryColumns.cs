using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Mesh.Core.Telemetry;
using Mesh.Storage.ClickHouse.Client;

namespace Mesh.Storage.ClickHouse.Rows;

/// <summary>
/// Encodes the columns spans and logs share: attribute lists as <see cref="AttributeJson"/> text written
/// straight from a reused <see cref="Utf8JsonWriter"/>, display values without building strings for
/// numbers, and resource and scope blocks encoded once per batch. One instance serves one request body.
/// </summary>
internal sealed class TelemetryColumns : IDisposable
{
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = false, SkipValidation = true };

    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly Utf8JsonWriter _jsonWriter;
    private readonly Dictionary<Resource, EncodedResource> _resources = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<InstrumentationScope, byte[]> _scopes = new(ReferenceEqualityComparer.Instance);
    private Resource? _lastResource;
    private EncodedResource? _lastEncodedResource;

    public TelemetryColumns() => _jsonWriter = new Utf8JsonWriter(_json, JsonOptions);

    private static ReadOnlySpan<byte> EmptyObject => "{}"u8;

    /// <summary>An attribute list as an AttributeJson <c>String</c> column.</summary>
    public void WriteAttributes(RowBinaryWriter writer, IReadOnlyList<KeyValue> attributes)
    {
        if (attributes.Count == 0)
        {
            writer.WriteString(EmptyObject);
            return;
        }

        _json.ResetWrittenCount();
        _jsonWriter.Reset(_json);
        AttributeJson.WriteAttributes(_jsonWriter, attributes);
        _jsonWriter.Flush();
        writer.WriteString(_json.WrittenSpan);
    }

    /// <summary>An attribute list as an <see cref="AttributeText"/> <c>String</c> column.</summary>
    public void WriteAttributeText(RowBinaryWriter writer, IReadOnlyList<KeyValue> attributes)
    {
        _json.ResetWrittenCount();
        AttributeText.Write(_json, attributes);
        writer.WriteString(_json.WrittenSpan);
    }

    /// <summary>A value's <see cref="AnyValue.ToDisplayString"/> as a <c>String</c>, formatting scalars straight to UTF-8.</summary>
    public static void WriteDisplayValue(RowBinaryWriter writer, AnyValue value)
    {
        Span<byte> scratch = stackalloc byte[32];
        int written;
        switch (value.Kind)
        {
            case AnyValueKind.String:
                writer.WriteString(value.StringValue);
                return;
            case AnyValueKind.Bool:
                writer.WriteString(value.BoolValue ? "true"u8 : "false"u8);
                return;
            case AnyValueKind.Int when value.IntValue.TryFormat(scratch, out written, default, CultureInfo.InvariantCulture):
                writer.WriteString(scratch[..written]);
                return;
            case AnyValueKind.Double when value.DoubleValue.TryFormat(scratch, out written, "R", CultureInfo.InvariantCulture):
                writer.WriteString(scratch[..written]);
                return;
            default:
                writer.WriteString(value.ToDisplayString());
                return;
        }
    }

    public EncodedResource Resource(Resource resource)
    {
        if (ReferenceEquals(resource, _lastResource))
        {
            return _lastEncodedResource!;
        }

        if (!_resources.TryGetValue(resource, out var encoded))
        {
            encoded = Encode(resource);
            _resources.Add(resource, encoded);
        }

        _lastResource = resource;
        _lastEncodedResource = encoded;
        return encoded;
    }

    /// <summary>scope_name, scope_version, scope_attributes, scope_dropped_attributes_count, scope_schema_url.</summary>
    public byte[] Scope(InstrumentationScope scope)
    {
        if (!_scopes.TryGetValue(scope, out var encoded))
        {
            using var block = new RowBinaryWriter(256);
            block.WriteString(scope.Name);
            block.WriteString(scope.Version);
            WriteAttributes(block, scope.Attributes);
            block.WriteUInt32(scope.DroppedAttributesCount);
            block.WriteString(scope.SchemaUrl);
            encoded = block.WrittenMemory.ToArray();
            _scopes.Add(scope, encoded);
        }

        return encoded;
    }

    public void Dispose() => _jsonWriter.Dispose();

    private EncodedResource Encode(Resource resource)
    {
        using var block = new RowBinaryWriter(512);
        var serviceName = resource.ServiceName;
        block.WriteString(serviceName);
        var service = block.WrittenMemory.ToArray();

        block.Clear();
        WriteAttributes(block, resource.Attributes);
        block.WriteUInt32(resource.DroppedAttributesCount);
        block.WriteString(resource.SchemaUrl);
        var columns = block.WrittenMemory.ToArray();

        block.Clear();
        WriteAttributeText(block, resource.Attributes);
        block.WriteUInt32(resource.DroppedAttributesCount);
        block.WriteString(resource.SchemaUrl);

        return new EncodedResource
        {
            ServiceName = serviceName,
            Service = service,
            Columns = columns,
            SpanColumns = block.WrittenMemory.ToArray(),
        };
    }
}
