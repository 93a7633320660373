namespace Mesh.Core.Telemetry;

/// <summary>The library that produced telemetry (OTLP <c>InstrumentationScope</c>), with its schema URL.</summary>
public sealed record InstrumentationScope
{
    public static readonly InstrumentationScope Empty = new();

    public string Name { get; init; } = string.Empty;

    public string Version { get; init; } = string.Empty;

    public IReadOnlyList<KeyValue> Attributes { get; init; } = [];

    public uint DroppedAttributesCount { get; init; }

    public string SchemaUrl { get; init; } = string.Empty;

    public bool Equals(InstrumentationScope? other) =>
        other is not null
        && Name == other.Name
        && Version == other.Version
        && DroppedAttributesCount == other.DroppedAttributesCount
        && SchemaUrl == other.SchemaUrl
        && Attributes.SequenceEqual(other.Attributes);

    public override int GetHashCode() => HashCode.Combine(Name, Version);
}
