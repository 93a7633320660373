using System.Buffers.Binary;
using Google.Protobuf;
using Mesh.Core.Telemetry;
using Mesh.Otlp.Conversion;

namespace Mesh.Bench;

/// <summary>
/// A serialised OTLP request of realistic spans (about 15 attributes each, several services), with the
/// byte offsets of every trace and span id, so a load generator can stamp fresh ids into a copy for each
/// request instead of building and serialising messages: the client must not be what limits the measurement.
/// </summary>
internal sealed class SpanTemplate
{
    private static readonly string[] Services = ["frontend", "cart", "catalog", "checkout", "payment", "shipping", "inventory", "auth"];
    private static readonly string[] Routes = ["GET /products/{id}", "POST /cart/items", "GET /cart", "POST /checkout", "GET /search"];

    private readonly byte[] _template;
    private readonly int[] _traceIdOffsets;
    private readonly int[] _spanIdOffsets;
    private readonly int[] _timeOffsets;
    private readonly long _startNanos;
    private readonly int _spansPerTrace;

    private SpanTemplate(byte[] template, int[] traceIdOffsets, int[] spanIdOffsets, int[] timeOffsets, long startNanos, int spans, int spansPerTrace)
    {
        _template = template;
        _traceIdOffsets = traceIdOffsets;
        _spanIdOffsets = spanIdOffsets;
        _timeOffsets = timeOffsets;
        _startNanos = startNanos;
        SpanCount = spans;
        _spansPerTrace = spansPerTrace;
    }

    public int SpanCount { get; }

    public int Length => _template.Length;

    /// <summary>The services spans are spread over, round-robin: the <c>service.name</c> of span i is <c>ServiceNames[i % 8]</c>.</summary>
    public static IReadOnlyList<string> ServiceNames => Services;

    /// <summary>
    /// <paramref name="count"/> spans, <paramref name="spansPerTrace"/> consecutive spans per trace, span i starting at
    /// <paramref name="startNanos"/> + i × <paramref name="spacingNanos"/>.
    /// </summary>
    public static IReadOnlyList<Span> RealisticSpans(int count, int spansPerTrace, long startNanos, Func<int, TraceId> traceId, Func<int, SpanId> spanId, long spacingNanos = 1000)
    {
        var spans = new List<Span>(count);
        var resources = Services.Select(s => new Resource
        {
            Attributes =
            [
                KeyValue.Of("service.name", s), KeyValue.Of("service.version", "1.4.2"), KeyValue.Of("service.namespace", "shop"),
                KeyValue.Of("host.name", $"{s}-7d9f8c-x2k4q"), KeyValue.Of("telemetry.sdk.language", "dotnet"),
            ],
        }).ToArray();
        var scope = new InstrumentationScope { Name = "mesh.proxy", Version = "0.1.0" };
        for (var i = 0; i < count; i++)
        {
            var service = i % Services.Length;
            var route = Routes[i % Routes.Length];
            var status = i % 50 == 0 ? 503L : 200L;
            var start = startNanos + (i * spacingNanos);
            spans.Add(new Span
            {
                TraceId = traceId(i / spansPerTrace),
                SpanId = spanId(i),
                ParentSpanId = i % spansPerTrace == 0 ? SpanId.Empty : spanId(i - 1),
                Name = route,
                Kind = i % 2 == 0 ? SpanKind.Server : SpanKind.Client,
                StartTimeUnixNano = start,
                EndTimeUnixNano = start + 1_000_000 + (i % 97 * 100_000),
                StatusCode = status == 503 ? StatusCode.Error : StatusCode.Unset,
                Resource = resources[service],
                Scope = scope,
                Attributes =
                [
                    KeyValue.Of("http.request.method", route[..route.IndexOf(' ', StringComparison.Ordinal)]),
                    KeyValue.Of("http.route", route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..]),
                    KeyValue.Of("http.response.status_code", status),
                    KeyValue.Of("url.scheme", "http"),
                    KeyValue.Of("server.address", Services[(service + 1) % Services.Length]),
                    KeyValue.Of("server.port", 8080L),
                    KeyValue.Of("network.protocol.version", "1.1"),
                    KeyValue.Of("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"),
                    KeyValue.Of("mesh.source.service", Services[service]),
                    KeyValue.Of("mesh.destination.service", Services[(service + 1) % Services.Length]),
                    KeyValue.Of("mesh.destination.version", i % 10 == 0 ? "v2" : "v1"),
                    KeyValue.Of("mesh.route", $"route-{i % 5}"),
                    KeyValue.Of("mesh.attempts", 1L),
                    KeyValue.Of("http.request.body.size", 256L + (i % 1000)),
                    KeyValue.Of("http.response.body.size", 1024L + (i % 4000)),
                ],
            });
        }

        return spans;
    }

    /// <summary>Builds a template of <paramref name="spans"/> spans; ids are unique markers found again in the bytes.</summary>
    public static SpanTemplate Create(int spans, int spansPerTrace, long startNanos)
    {
        var model = RealisticSpans(
            spans,
            spansPerTrace,
            startNanos,
            t => new TraceId(0xA1B2C3D4E5F60718UL, 0x1000_0000_0000_0000UL + (ulong)t),
            s => new SpanId(0xB1C2D3E4F5060000UL + (ulong)s));
        var bytes = OtlpSpans.ToRequest(model).ToByteArray();
        var traceOffsets = new List<int>();
        var spanOffsets = new List<int>();
        Span<byte> id = stackalloc byte[16];
        for (var t = 0; t < (spans + spansPerTrace - 1) / spansPerTrace; t++)
        {
            new TraceId(0xA1B2C3D4E5F60718UL, 0x1000_0000_0000_0000UL + (ulong)t).WriteTo(id);
            traceOffsets.AddRange(FindAll(bytes, id));
        }

        for (var s = 0; s < spans; s++)
        {
            new SpanId(0xB1C2D3E4F5060000UL + (ulong)s).WriteTo(id);
            spanOffsets.AddRange(FindAll(bytes, id[..8]));
        }

        // Start (field 7) and end (field 8) times are fixed64 after their tags; every one is shifted when stamping.
        var timeOffsets = new List<int>();
        foreach (var span in model)
        {
            timeOffsets.AddRange(FindTagged(bytes, 0x39, span.StartTimeUnixNano));
            timeOffsets.AddRange(FindTagged(bytes, 0x41, span.EndTimeUnixNano));
        }

        return new SpanTemplate(bytes, [.. traceOffsets], [.. spanOffsets], [.. timeOffsets.Distinct()], startNanos, spans, spansPerTrace);
    }

    /// <summary>
    /// Writes a copy of the template into <paramref name="destination"/> with every id replaced by fresh
    /// ones derived from <paramref name="sequence"/> (traces stay whole, and no two requests share an id), and
    /// every time moved so the first span starts at <paramref name="startNanos"/>: spans arrive with current times,
    /// as from a live service, not the same instants over and over.
    /// </summary>
    public void Stamp(Span<byte> destination, ulong runId, ulong sequence, long startNanos)
    {
        _template.CopyTo(destination);
        var shift = startNanos - _startNanos;
        foreach (var offset in _timeOffsets)
        {
            var time = BinaryPrimitives.ReadInt64LittleEndian(destination[offset..]);
            BinaryPrimitives.WriteInt64LittleEndian(destination[offset..], time + shift);
        }

        foreach (var offset in _traceIdOffsets)
        {
            // The template's trace index is in the low bytes of the marker; keep it, mix in the request.
            // The low half is unique (request, trace); the high half, which leads in every sort order, looks random.
            var index = BinaryPrimitives.ReadUInt64BigEndian(destination[(offset + 8)..]) & 0xFFFF_FFFF;
            var unique = (sequence << 32) | index;
            BinaryPrimitives.WriteUInt64BigEndian(destination[offset..], IdMixer.Mix(runId ^ unique));
            BinaryPrimitives.WriteUInt64BigEndian(destination[(offset + 8)..], unique);
        }

        foreach (var offset in _spanIdOffsets)
        {
            var index = BinaryPrimitives.ReadUInt64BigEndian(destination[offset..]) & 0xFFFF;
            BinaryPrimitives.WriteUInt64BigEndian(destination[offset..], (runId << 48) ^ (sequence << 16) ^ index ^ 0x8000_0000_0000_0000UL);
        }
    }

    /// <summary>Offsets of the 8 value bytes of every fixed64 <paramref name="value"/> right after the tag byte <paramref name="tag"/>.</summary>
    private static IEnumerable<int> FindTagged(byte[] haystack, byte tag, long value)
    {
        Span<byte> needle = stackalloc byte[9];
        needle[0] = tag;
        BinaryPrimitives.WriteInt64LittleEndian(needle[1..], value);
        return FindAll(haystack, needle).Select(at => at + 1);
    }

    private static IEnumerable<int> FindAll(byte[] haystack, ReadOnlySpan<byte> needle)
    {
        var found = new List<int>();
        var start = 0;
        while (true)
        {
            var at = haystack.AsSpan(start).IndexOf(needle);
            if (at < 0)
            {
                return found;
            }

            found.Add(start + at);
            start += at + needle.Length;
        }
    }
}
