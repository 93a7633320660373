using System.Text;
using Google.Protobuf;
using Mesh.Analytics.Rollups;
using Mesh.Analytics.Tests.Graph;
using Mesh.Core.Facts;
using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Otlp.Conversion;
using Mesh.Otlp.Wire;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using ProtoResource = Mesh.Otlp.Proto.Resource.Resource;
using ProtoSpan = Mesh.Otlp.Proto.Trace.Span;

namespace Mesh.Analytics.Tests.Facts;

public sealed class WireSpanFactsTests : IDisposable
{
    private readonly WireSpanFacts _wire = new();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void TryRead_RandomRequests_TheFactsTheModelPathReads(int seed)
    {
        var request = FactsRequests.Random(seed, spans: 300);
        var wire = new List<SpanFacts>();
        Assert.True(_wire.TryRead(request, wire));
        Assert.Equal(ModelFacts(request), wire);

        // Reused, the reader gives the same facts again.
        var again = new List<SpanFacts>();
        Assert.True(_wire.TryRead(request, again));
        Assert.Equal(wire, again);
    }

    [Fact]
    public void TryRead_SpanWithoutOptionalFields_DefaultsAsTheModel()
    {
        // No resource, no name, no kind, no times, no status, no attributes.
        var request = Request(resource: null, new ProtoSpan { TraceId = Id(16), SpanId = Id(8) }.ToByteArray());
        var facts = Assert.Single(Read(request));
        Assert.Equal(Assert.Single(ModelFacts(request)), facts);
        Assert.Equal("unknown_service", facts.Service);
        Assert.Equal(SpanKind.Unspecified, facts.Kind);
        Assert.Equal(1, facts.Attempts);
        Assert.Null(facts.HttpRoute);
        Assert.False(facts.IsProxy);
    }

    [Fact]
    public void TryRead_UnknownFieldsEverywhere_SkippedAsProtobufSkipsThem()
    {
        var value = Concat(FactsRequests.Field(1, Encoding.UTF8.GetBytes("/cart/{id}")), FactsRequests.Varint(12, 7));
        var attribute = Concat(FactsRequests.Field(1, Encoding.UTF8.GetBytes("http.route")), FactsRequests.Field(2, value), FactsRequests.Varint(9, 1));
        var span = Concat(
            new ProtoSpan { TraceId = Id(16), SpanId = Id(8), Kind = ProtoSpan.Types.SpanKind.Server, Name = "GET" }.ToByteArray(),
            FactsRequests.Varint(40, 123),
            FactsRequests.Field(41, [1, 2, 3]),
            FactsRequests.Field(9, attribute));
        var resource = new ProtoResource { Attributes = { new Mesh.Otlp.Proto.Common.KeyValue { Key = "service.name", Value = new() { StringValue = "cart" } } } }.ToByteArray();
        var request = Request(Concat(resource, FactsRequests.Varint(30, 5)), span);

        var facts = Assert.Single(Read(request));
        Assert.Equal(Assert.Single(ModelFacts(request)), facts);
        Assert.Equal("/cart/{id}", facts.HttpRoute);
        Assert.Equal("cart", facts.Service);
    }

    [Fact]
    public void TryRead_InvalidUtf8_DecodedAsTheModelDecodesIt()
    {
        var span = new ProtoSpan
        {
            TraceId = Id(16),
            SpanId = Id(8),
            Kind = ProtoSpan.Types.SpanKind.Client,
            Name = "n\u00e9",
            Attributes = { new Mesh.Otlp.Proto.Common.KeyValue { Key = "peer.service", Value = new() { StringValue = "p\u00e9" } } },
        }.ToByteArray();
        var request = Request(null, span);

        // é is C3 A9; C3 28 is not UTF-8.
        for (var at = request.AsSpan().IndexOf("\u00e9"u8); at >= 0; at = request.AsSpan().IndexOf("\u00e9"u8))
        {
            request[at + 1] = 0x28;
        }

        var facts = Assert.Single(Read(request));
        Assert.Equal(Assert.Single(ModelFacts(request)), facts);
        Assert.Contains('\uFFFD', facts.Name);
        Assert.Contains('\uFFFD', facts.PeerService ?? string.Empty);
    }

    [Fact]
    public void TryRead_EveryTruncation_NeverThrowsAndNeverDisagreesWithTheModel()
    {
        var request = FactsRequests.Random(seed: 9, spans: 4);
        var declined = 0;
        for (var length = 0; length < request.Length; length++)
        {
            var prefix = request.AsSpan(0, length);
            var wire = new List<SpanFacts> { new() };
            if (_wire.TryRead(prefix, wire))
            {
                Assert.Equal(ModelFacts(prefix.ToArray()), wire.Skip(1));
            }
            else
            {
                declined++;
                Assert.Single(wire);
            }
        }

        Assert.True(declined > request.Length / 2, $"only {declined} of {request.Length} truncations declined");
    }

    [Fact]
    public async Task RollupStage_UnreadableRequests_CountedNotThrown()
    {
        using var stage = new RollupStage(new InMemoryRollups(), new RollupStageOptions(), TimeProvider.System, NullLogger<RollupStage>.Instance);
        var good = FactsRequests.Random(seed: 3, spans: 50);
        ReadOnlyMemory<byte>[] requests = [good.AsMemory(0, good.Length / 2), new byte[] { 0xFF, 0xFF, 0xFF }, good];
        await stage.OnBatchStoredAsync(new IngestedBatch([], requests, WriteMode.First), CancellationToken.None);

        Assert.Equal(2, stage.SkippedRequests);
    }

    public void Dispose() => _wire.Dispose();

    private List<SpanFacts> Read(byte[] request)
    {
        var facts = new List<SpanFacts>();
        Assert.True(_wire.TryRead(request, facts));
        return facts;
    }

    private static List<SpanFacts> ModelFacts(byte[] request)
    {
        var spans = new List<Span>();
        Assert.True(OtlpSpans.TryToModel(request, spans));
        return [.. spans.Select(s => SpanFacts.FromModel(s))];
    }

    /// <summary>ExportTraceServiceRequest { ResourceSpans { Resource, ScopeSpans { Span } } } from raw message bytes.</summary>
    private static byte[] Request(byte[]? resource, byte[] span)
    {
        var scopeSpans = FactsRequests.Field(2, span);
        var resourceSpans = resource is null
            ? FactsRequests.Field(2, scopeSpans)
            : Concat(FactsRequests.Field(1, resource), FactsRequests.Field(2, scopeSpans));
        return FactsRequests.Field(1, resourceSpans);
    }

    private static ByteString Id(int length) => ByteString.CopyFrom([.. Enumerable.Range(1, length).Select(i => (byte)(i * 7))]);

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
