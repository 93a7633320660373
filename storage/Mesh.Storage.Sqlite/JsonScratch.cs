using System.Buffers;
using System.Text.Json;
using Mesh.Core.Telemetry;

namespace Mesh.Storage.Sqlite;

/// <summary>One reusable UTF-8 buffer and JSON writer for the typed JSON columns of a batch: no string per value.</summary>
internal sealed class JsonScratch : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { SkipValidation = true };
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public JsonScratch() => _writer = new Utf8JsonWriter(_buffer, Options);

    public ReadOnlySpan<byte> Attributes(IReadOnlyList<KeyValue> attributes) =>
        attributes.Count == 0 ? "{}"u8 : Write(attributes, static (w, a) => AttributeJson.WriteAttributes(w, a));

    public ReadOnlySpan<byte> Events(IReadOnlyList<SpanEvent> events) =>
        events.Count == 0 ? "[]"u8 : Write(events, static (w, e) => AttributeJson.WriteEvents(w, e));

    public ReadOnlySpan<byte> Links(IReadOnlyList<SpanLink> links) =>
        links.Count == 0 ? "[]"u8 : Write(links, static (w, l) => AttributeJson.WriteLinks(w, l));

    public ReadOnlySpan<byte> Value(AnyValue value) => Write(value, static (w, v) => AttributeJson.WriteValue(w, v));

    public void Dispose() => _writer.Dispose();

    /// <summary>The returned span is valid until the next call.</summary>
    private ReadOnlySpan<byte> Write<T>(T state, Action<Utf8JsonWriter, T> write)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        write(_writer, state);
        _writer.Flush();
        return _buffer.WrittenSpan;
    }
}
