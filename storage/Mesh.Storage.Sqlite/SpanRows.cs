using System.Buffers;
using System.Text;
using Mesh.Core.Telemetry;
using Mesh.Otlp.Wire;

namespace Mesh.Storage.Sqlite;

/// <summary>
/// A batch's spans as the spans table takes them: fixed columns in one array, text columns (valid UTF-8, JSON
/// already written) in one byte arena. Filled from the model (<see cref="AddModel"/>) or straight from OTLP bytes
/// (<see cref="SpanRowsVisitor"/>); either way the insert loop binds the same rows. Reused across batches by the
/// one write connection, so a batch allocates nothing once the arrays have grown to size.
/// </summary>
internal sealed class SpanRows : IDisposable
{
    private readonly ArrayBufferWriter<byte> _text = new(1 << 20);
    private readonly List<string> _services = [];
    private readonly Dictionary<string, int> _operationIndex = new(StringComparer.Ordinal);
    private readonly List<(string Service, string Name, int Kind)> _operations = [];
    private readonly JsonScratch _json = new();
    private Row[] _rows = new Row[1024];
    private char[] _chars = new char[256];

    public int Count { get; private set; }

    /// <summary>The distinct (service, name, kind) of the batch.</summary>
    public IReadOnlyList<(string Service, string Name, int Kind)> Operations => _operations;

    public ref readonly Row this[int index] => ref _rows[index];

    public void Clear()
    {
        Count = 0;
        _text.ResetWrittenCount();
        _services.Clear();
        _operationIndex.Clear();
        _operations.Clear();
    }

    /// <summary>Forgets every row from <paramref name="count"/> on (a request the wire walk declined part way).</summary>
    public void Truncate(int count) => Count = Math.Min(Count, count);

    /// <summary>The service column for rows added after this call, as an index for <see cref="Row.Service"/>.</summary>
    public int AddService(string service)
    {
        // Consecutive spans mostly share a resource: one entry serves the run.
        if (_services.Count > 0 && string.Equals(_services[^1], service, StringComparison.Ordinal))
        {
            return _services.Count - 1;
        }

        _services.Add(service);
        return _services.Count - 1;
    }

    public string Service(int index) => _services[index];

    public ReadOnlySpan<byte> Text(TextRange range) => _text.WrittenSpan.Slice(range.Start, range.Length);

    public void AddModel(Span span, long resourceId, long scopeId)
    {
        ref var row = ref Next();
        row.TraceId = span.TraceId;
        row.SpanId = unchecked((long)span.SpanId.Value);
        row.ParentSpanId = unchecked((long)span.ParentSpanId.Value);
        row.Flags = span.Flags;
        row.Kind = (int)span.Kind;
        row.StartNs = span.StartTimeUnixNano;
        row.EndNs = span.EndTimeUnixNano;
        row.StatusCode = (int)span.StatusCode;
        row.ResourceId = resourceId;
        row.ScopeId = scopeId;
        row.DroppedAttributes = span.DroppedAttributesCount;
        row.DroppedEvents = span.DroppedEventsCount;
        row.DroppedLinks = span.DroppedLinksCount;
        row.Service = AddService(span.ServiceName);
        row.TraceState = Append(span.TraceState);
        row.Name = Append(span.Name);
        row.StatusMessage = Append(span.StatusMessage);
        row.Attributes = Append(_json.Attributes(span.Attributes));
        row.Events = Append(_json.Events(span.Events));
        row.Links = Append(_json.Links(span.Links));
        row.Operation = Operation(row.Service, span.Name.AsSpan(), row.Kind);
    }

    /// <summary>A row from a span the wire walk read; <paramref name="service"/> is from <see cref="AddService"/>.</summary>
    public void AddWire(scoped in WireSpan span, WireJson json, int service, long resourceId, long scopeId)
    {
        ref var row = ref Next();
        row.TraceId = new TraceId(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(span.TraceId),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(span.TraceId[8..]));
        row.SpanId = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(span.SpanId);
        row.ParentSpanId = span.ParentSpanId.IsEmpty ? 0 : System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(span.ParentSpanId);
        row.Flags = span.Flags;
        row.Kind = span.Kind;
        row.StartNs = span.StartTimeUnixNano;
        row.EndNs = span.EndTimeUnixNano;
        row.StatusCode = span.StatusCode;
        row.ResourceId = resourceId;
        row.ScopeId = scopeId;
        row.DroppedAttributes = span.DroppedAttributesCount;
        row.DroppedEvents = span.DroppedEventsCount;
        row.DroppedLinks = span.DroppedLinksCount;
        row.Service = service;
        row.TraceState = AppendWire(span.TraceState);
        row.Name = AppendWire(span.Name);
        row.StatusMessage = AppendWire(span.StatusMessage);
        row.Attributes = Append(json.Attributes(span.Message, 9, span.AttributeCount));
        row.Events = Append(json.Events(span));
        row.Links = Append(json.Links(span));

        // The name as the model decodes it (invalid UTF-8 becomes replacement characters), without a string per span.
        var name = Text(row.Name);
        if (_chars.Length < name.Length)
        {
            _chars = new char[Math.Max(name.Length, _chars.Length * 2)];
        }

        var chars = _chars.AsSpan(0, Encoding.UTF8.GetChars(name, _chars));
        row.Operation = Operation(service, chars, row.Kind);
    }

    public void Dispose() => _json.Dispose();

    private ref Row Next()
    {
        if (Count == _rows.Length)
        {
            Array.Resize(ref _rows, _rows.Length * 2);
        }

        return ref _rows[Count++];
    }

    private TextRange Append(ReadOnlySpan<byte> utf8)
    {
        var start = _text.WrittenCount;
        _text.Write(utf8);
        return new TextRange(start, utf8.Length);
    }

    private TextRange Append(string text)
    {
        var start = _text.WrittenCount;
        var span = _text.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var length = Encoding.UTF8.GetBytes(text, span);
        _text.Advance(length);
        return new TextRange(start, length);
    }

    /// <summary>A protobuf string as the model would hold it: valid UTF-8 as it is, anything else decoded the model's way.</summary>
    private TextRange AppendWire(ReadOnlySpan<byte> utf8) => WireText.IsValid(utf8) ? Append(utf8) : Append(WireText.Decode(utf8));

    private int Operation(int service, ReadOnlySpan<char> name, int kind)
    {
        // The key: kind, service and name; the lookup takes a span, so a known operation costs no string.
        var serviceName = _services[service];
        var length = 2 + serviceName.Length + name.Length;
        Span<char> key = length <= 512 ? stackalloc char[length] : new char[length];
        key[0] = (char)kind;
        serviceName.CopyTo(key[1..]);
        key[1 + serviceName.Length] = '\u0001';
        name.CopyTo(key[(2 + serviceName.Length)..]);
        var lookup = _operationIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(key, out var index))
        {
            index = _operations.Count;
            _operations.Add((serviceName, name.ToString(), kind));
            lookup[key] = index;
        }

        return index;
    }

    /// <summary>Where a text column's UTF-8 is in the arena.</summary>
    public readonly record struct TextRange(int Start, int Length);

    /// <summary>One span's columns.</summary>
    public struct Row
    {
        public TraceId TraceId;
        public long SpanId;
        public long ParentSpanId;
        public long Flags;
        public int Kind;
        public long StartNs;
        public long EndNs;
        public int StatusCode;
        public long ResourceId;
        public long ScopeId;
        public long DroppedAttributes;
        public long DroppedEvents;
        public long DroppedLinks;
        public int Service;
        public int Operation;
        public TextRange TraceState;
        public TextRange Name;
        public TextRange StatusMessage;
        public TextRange Attributes;
        public TextRange Events;
        public TextRange Links;
    }
}
