using Google.Protobuf;
using Google.Protobuf.Collections;
using Mesh.Core.Telemetry;
using ProtoAnyValue = Mesh.Otlp.Proto.Common.AnyValue;
using ProtoKeyValue = Mesh.Otlp.Proto.Common.KeyValue;

namespace Mesh.Otlp.Conversion;

/// <summary>Maps OTLP common messages (values, attributes, resource, scope) to and from the core model.</summary>
public static class OtlpValues
{
    public static AnyValue ToModel(ProtoAnyValue? value)
    {
        if (value is null)
        {
            return AnyValue.Empty;
        }

        switch (value.ValueCase)
        {
            case ProtoAnyValue.ValueOneofCase.StringValue:
                return AnyValue.Of(value.StringValue);
            case ProtoAnyValue.ValueOneofCase.BoolValue:
                return AnyValue.Of(value.BoolValue);
            case ProtoAnyValue.ValueOneofCase.IntValue:
                return AnyValue.Of(value.IntValue);
            case ProtoAnyValue.ValueOneofCase.DoubleValue:
                return AnyValue.Of(value.DoubleValue);
            case ProtoAnyValue.ValueOneofCase.BytesValue:
                return AnyValue.OfBytes(value.BytesValue.ToByteArray());
            case ProtoAnyValue.ValueOneofCase.ArrayValue:
                var items = new AnyValue[value.ArrayValue.Values.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = ToModel(value.ArrayValue.Values[i]);
                }

                return AnyValue.OfArray(items);
            case ProtoAnyValue.ValueOneofCase.KvlistValue:
                return AnyValue.OfKvList(ToModel(value.KvlistValue.Values));
            default:
                return AnyValue.Empty;
        }
    }

    public static IReadOnlyList<KeyValue> ToModel(RepeatedField<ProtoKeyValue> attributes)
    {
        if (attributes.Count == 0)
        {
            return [];
        }

        var result = new KeyValue[attributes.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new KeyValue(attributes[i].Key, ToModel(attributes[i].Value));
        }

        return result;
    }

    public static Core.Telemetry.Resource ToModel(Proto.Resource.Resource? resource, string schemaUrl) =>
        resource is null && schemaUrl.Length == 0
            ? Core.Telemetry.Resource.Empty
            : new Core.Telemetry.Resource
            {
                Attributes = resource is null ? [] : ToModel(resource.Attributes),
                DroppedAttributesCount = resource?.DroppedAttributesCount ?? 0,
                SchemaUrl = schemaUrl,
            };

    public static InstrumentationScope ToModel(Proto.Common.InstrumentationScope? scope, string schemaUrl) =>
        scope is null && schemaUrl.Length == 0
            ? InstrumentationScope.Empty
            : new InstrumentationScope
            {
                Name = scope?.Name ?? string.Empty,
                Version = scope?.Version ?? string.Empty,
                Attributes = scope is null ? [] : ToModel(scope.Attributes),
                DroppedAttributesCount = scope?.DroppedAttributesCount ?? 0,
                SchemaUrl = schemaUrl,
            };

    public static ProtoAnyValue ToProto(AnyValue value)
    {
        var result = new ProtoAnyValue();
        switch (value.Kind)
        {
            case AnyValueKind.String:
                result.StringValue = value.StringValue;
                break;
            case AnyValueKind.Bool:
                result.BoolValue = value.BoolValue;
                break;
            case AnyValueKind.Int:
                result.IntValue = value.IntValue;
                break;
            case AnyValueKind.Double:
                result.DoubleValue = value.DoubleValue;
                break;
            case AnyValueKind.Bytes:
                result.BytesValue = ByteString.CopyFrom(value.BytesValue);
                break;
            case AnyValueKind.Array:
                var array = new Proto.Common.ArrayValue();
                foreach (var item in value.ArrayValue)
                {
                    array.Values.Add(ToProto(item));
                }

                result.ArrayValue = array;
                break;
            case AnyValueKind.KvList:
                var list = new Proto.Common.KeyValueList();
                AddTo(list.Values, value.KvListValue);
                result.KvlistValue = list;
                break;
        }

        return result;
    }

    public static Proto.Resource.Resource ToProto(Core.Telemetry.Resource resource)
    {
        var result = new Proto.Resource.Resource { DroppedAttributesCount = resource.DroppedAttributesCount };
        AddTo(result.Attributes, resource.Attributes);
        return result;
    }

    public static Proto.Common.InstrumentationScope ToProto(InstrumentationScope scope)
    {
        var result = new Proto.Common.InstrumentationScope { Name = scope.Name, Version = scope.Version, DroppedAttributesCount = scope.DroppedAttributesCount };
        AddTo(result.Attributes, scope.Attributes);
        return result;
    }

    public static void AddTo(RepeatedField<ProtoKeyValue> target, IReadOnlyList<KeyValue> attributes)
    {
        foreach (var kv in attributes)
        {
            target.Add(new ProtoKeyValue { Key = kv.Key, Value = ToProto(kv.Value) });
        }
    }

    /// <summary>Reads an id of the expected width; an absent (empty) id reads as zero.</summary>
    public static TraceId ReadTraceId(ByteString bytes) =>
        bytes.Length == 0 || !TraceId.TryRead(bytes.Span, out var id) ? TraceId.Empty : id;

    public static SpanId ReadSpanId(ByteString bytes) =>
        bytes.Length == 0 || !SpanId.TryRead(bytes.Span, out var id) ? SpanId.Empty : id;

    public static ByteString ToByteString(TraceId id) => id.IsEmpty ? ByteString.Empty : ByteString.CopyFrom(id.ToBytes());

    public static ByteString ToByteString(SpanId id) => id.IsEmpty ? ByteString.Empty : ByteString.CopyFrom(id.ToBytes());
}
