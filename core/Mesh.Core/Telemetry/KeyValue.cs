namespace Mesh.Core.Telemetry;

/// <summary>One attribute: a key and its typed value.</summary>
public readonly record struct KeyValue(string Key, AnyValue Value)
{
    public static KeyValue Of(string key, string value) => new(key, AnyValue.Of(value));

    public static KeyValue Of(string key, long value) => new(key, AnyValue.Of(value));

    public static KeyValue Of(string key, double value) => new(key, AnyValue.Of(value));

    public static KeyValue Of(string key, bool value) => new(key, AnyValue.Of(value));
}
