using Google.Protobuf;
using Google.Protobuf.Collections;
using Mesh.Ingest.Pipeline;
using Mesh.Otlp.Proto.Common;

namespace Mesh.Ingest.Validation;

/// <summary>
/// Applies <see cref="TelemetryLimits"/> in place, the way the OpenTelemetry SDK does: attributes past the
/// count limit are dropped (and added to the item's dropped count), long strings and bytes are cut.
/// Every cut is counted in <see cref="IngestMetrics"/> so operators can see what limits cost them.
/// </summary>
internal sealed class LimitEnforcer
{
    private readonly TelemetryLimits _limits;
    private readonly IngestMetrics _metrics;

    public LimitEnforcer(TelemetryLimits limits, IngestMetrics metrics)
    {
        _limits = limits;
        _metrics = metrics;
    }

    public TelemetryLimits Limits => _limits;

    /// <summary>Enforces the limits on one attribute list; returns how many attributes were dropped.</summary>
    public uint Attributes(RepeatedField<KeyValue> attributes, ref bool modified)
    {
        uint dropped = 0;
        if (attributes.Count > _limits.MaxAttributes)
        {
            dropped = (uint)(attributes.Count - _limits.MaxAttributes);
            while (attributes.Count > _limits.MaxAttributes)
            {
                attributes.RemoveAt(attributes.Count - 1);
            }

            _metrics.Truncated("attributes", dropped);
            modified = true;
        }

        foreach (var kv in attributes)
        {
            Value(kv.Value, ref modified);
        }

        return dropped;
    }

    public void Value(AnyValue? value, ref bool modified)
    {
        if (value is null)
        {
            return;
        }

        switch (value.ValueCase)
        {
            case AnyValue.ValueOneofCase.StringValue when value.StringValue.Length > _limits.MaxValueLength:
                var cut = _limits.MaxValueLength;
                if (cut > 0 && char.IsHighSurrogate(value.StringValue[cut - 1]))
                {
                    cut--; // never split a surrogate pair into invalid UTF-16
                }

                value.StringValue = value.StringValue[..cut];
                _metrics.Truncated("value_length");
                modified = true;
                break;
            case AnyValue.ValueOneofCase.BytesValue when value.BytesValue.Length > _limits.MaxValueLength:
                value.BytesValue = ByteString.CopyFrom(value.BytesValue.Span[.._limits.MaxValueLength]);
                _metrics.Truncated("value_length");
                modified = true;
                break;
            case AnyValue.ValueOneofCase.ArrayValue:
                foreach (var item in value.ArrayValue.Values)
                {
                    Value(item, ref modified);
                }

                break;
            case AnyValue.ValueOneofCase.KvlistValue:
                foreach (var kv in value.KvlistValue.Values)
                {
                    Value(kv.Value, ref modified);
                }

                break;
        }
    }

    /// <summary>Drops items past <paramref name="max"/> from a repeated field; returns how many were dropped.</summary>
    public uint Cap<T>(RepeatedField<T> items, int max, string what, ref bool modified)
    {
        if (items.Count <= max)
        {
            return 0;
        }

        var dropped = (uint)(items.Count - max);
        while (items.Count > max)
        {
            items.RemoveAt(items.Count - 1);
        }

        _metrics.Truncated(what, dropped);
        modified = true;
        return dropped;
    }
}
