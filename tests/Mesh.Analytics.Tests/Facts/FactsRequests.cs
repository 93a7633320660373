using Google.Protobuf;
using Mesh.Core.Telemetry;
using Mesh.Otlp.Conversion;

namespace Mesh.Analytics.Tests.Facts;

/// <summary>
/// Model spans dense in the keys span facts read (with every value kind, repeats and near misses), and raw
/// protobuf pieces for shapes the OTLP messages cannot express (unknown fields).
/// </summary>
internal static class FactsRequests
{
    private static readonly string[] ResourceKeys = ["service.name", "service.version", "service.namespace", MeshAttributes.Proxy, "host.name", "service.name "];

    private static readonly string[] SpanKeys =
    [
        MeshAttributes.Direction, MeshAttributes.SourceService, MeshAttributes.SourceVersion, MeshAttributes.SourceNamespace,
        MeshAttributes.DestinationService, MeshAttributes.DestinationVersion, MeshAttributes.DestinationNamespace,
        MeshAttributes.DestinationEndpoint, MeshAttributes.Route, "http.route", "http.response.status_code", "http.status_code",
        "rpc.grpc.status_code", MeshAttributes.RequestBytes, MeshAttributes.ResponseBytes, MeshAttributes.Attempts,
        MeshAttributes.Mtls, MeshAttributes.ResponseFlags, "db.system", "db.system.name", "server.address", "net.peer.name",
        "server.port", "net.peer.port", "peer.service", "url.path", "HTTP.ROUTE", "http.rout",
    ];

    private static readonly string[] Texts = ["", "true", "false", "cart", " 42 ", "-7", "503", "1e3", "9223372036854775808", "UO,RL", "日本語", "x\u0000y"];

    public static byte[] Random(int seed, int spans)
    {
        var random = new Random(seed);
        var resources = Enumerable.Range(0, 3).Select(_ => new Resource { Attributes = Attributes(random, ResourceKeys, random.Next(0, 6)) }).ToArray();
        var model = new List<Span>();
        for (var i = 0; i < spans; i++)
        {
            var start = random.NextInt64(0, long.MaxValue / 2);
            model.Add(new Span
            {
                TraceId = new TraceId((ulong)random.NextInt64(), (ulong)random.NextInt64() | 1),
                SpanId = new SpanId((ulong)random.NextInt64() | 1),
                ParentSpanId = random.Next(3) == 0 ? SpanId.Empty : new SpanId((ulong)random.NextInt64() | 1),
                Name = Texts[random.Next(Texts.Length)],
                Kind = (SpanKind)random.Next(0, 6),
                StartTimeUnixNano = start,
                EndTimeUnixNano = start + random.NextInt64(-1000, 1_000_000),
                StatusCode = (StatusCode)random.Next(0, 3),
                Resource = resources[random.Next(resources.Length)],
                Attributes = Attributes(random, SpanKeys, random.Next(0, 20)),
            });
        }

        return OtlpSpans.ToRequest(model).ToByteArray();
    }

    private static KeyValue[] Attributes(Random random, string[] keys, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new KeyValue(keys[random.Next(keys.Length)], Value(random, depth: 0)))];

    private static AnyValue Value(Random random, int depth) => random.Next(depth < 2 ? 10 : 8) switch
    {
        0 => AnyValue.Empty,
        1 or 2 => AnyValue.Of(Texts[random.Next(Texts.Length)]),
        3 => AnyValue.Of(random.Next(2) == 0),
        4 => AnyValue.Of(random.Next(3) switch { 0 => random.Next(-5, 600), 1 => long.MinValue, _ => random.NextInt64() }),
        5 => AnyValue.Of(random.Next(4) switch { 0 => double.NaN, 1 => 503.9, 2 => -1e300, _ => random.NextDouble() * 1e4 }),
        6 or 7 => AnyValue.OfBytes([.. Enumerable.Range(0, random.Next(0, 5)).Select(_ => (byte)random.Next(256))]),
        8 => AnyValue.OfArray([.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => Value(random, depth + 1))]),
        _ => AnyValue.OfKvList([.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => new KeyValue(Texts[random.Next(Texts.Length)], Value(random, depth + 1)))]),
    };

    /// <summary>A length-delimited field: tag, length, bytes.</summary>
    public static byte[] Field(int number, byte[] value)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(value));
        output.Flush();
        return stream.ToArray();
    }

    /// <summary>A varint field.</summary>
    public static byte[] Varint(int number, ulong value)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(number, WireFormat.WireType.Varint);
        output.WriteUInt64(value);
        output.Flush();
        return stream.ToArray();
    }
}
