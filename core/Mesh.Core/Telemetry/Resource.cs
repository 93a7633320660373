namespace Mesh.Core.Telemetry;

/// <summary>The entity that produced telemetry (OTLP <c>Resource</c>), with its schema URL.</summary>
public sealed record Resource
{
    public static readonly Resource Empty = new();

    public IReadOnlyList<KeyValue> Attributes { get; init; } = [];

    public uint DroppedAttributesCount { get; init; }

    public string SchemaUrl { get; init; } = string.Empty;

    /// <summary>The <c>service.name</c> attribute, or <c>unknown_service</c> as the OTel SDKs default to.</summary>
    public string ServiceName
    {
        get
        {
            foreach (var kv in Attributes)
            {
                if (kv.Key == "service.name" && kv.Value.Kind == AnyValueKind.String && kv.Value.StringValue.Length > 0)
                {
                    return kv.Value.StringValue;
                }
            }

            return "unknown_service";
        }
    }

    public bool Equals(Resource? other) =>
        other is not null
        && DroppedAttributesCount == other.DroppedAttributesCount
        && SchemaUrl == other.SchemaUrl
        && Attributes.SequenceEqual(other.Attributes);

    public override int GetHashCode() => HashCode.Combine(Attributes.Count, SchemaUrl);
}
