using Mesh.Analytics.Edges;
using Mesh.Core.Rollups;
using Mesh.Core.Telemetry;
using Mesh.Testing;
using Xunit;

namespace Mesh.Analytics.Tests.Edges;

public sealed class EdgeExtractorTests
{
    private const long Start = 1_800_000_000_000_000_000;
    private readonly EdgeExtractor _extractor = new(new EdgeExtractorOptions { PairingWindow = TimeSpan.FromSeconds(10) });
    private readonly List<EdgeSample> _out = [];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Observe_OutboundAndItsInboundChild_CountedOnceFromOutbound(bool outboundFirst)
    {
        var outbound = ConventionSpans.Proxy("outbound", "frontend", "cart", Start, 8_000_000, attempts: 2);
        var inbound = ConventionSpans.Proxy("inbound", "frontend", "cart", Start + 1_000_000, 5_000_000, traceId: outbound.TraceId, parent: outbound.SpanId);
        Observe(outboundFirst ? outbound : inbound, 0);
        Observe(outboundFirst ? inbound : outbound, 100);
        _extractor.Expire(60_000, _out);

        var sample = Assert.Single(_out);
        Assert.Equal("frontend", sample.Key.SourceService);
        Assert.Equal("cart", sample.Key.DestinationService);
        Assert.Equal(8_000_000, sample.DurationNanos);
        Assert.Equal(1, sample.Retries);
        Assert.True(sample.Mtls);
        Assert.Equal(1, _extractor.Counters.InboundDeduplicated);
        Assert.Equal(0, _extractor.Counters.Pending);
    }

    [Fact]
    public void Observe_InboundWithoutParent_CountsAtOnce()
    {
        Observe(ConventionSpans.Proxy("inbound", "unknown", "cart", Start, 1_000_000), 0);
        var sample = Assert.Single(_out);
        Assert.Equal(NodeKind.External, sample.Key.SourceKind);
        Assert.Equal("cart", sample.Key.DestinationService);
    }

    [Fact]
    public void Observe_InboundWhoseParentIsNotMeshOutbound_CountsAfterTheWindow()
    {
        var inbound = ConventionSpans.Proxy("inbound", "legacy", "cart", Start, 1_000_000, parent: ConventionSpans.NewSpanId());
        Observe(inbound, 0);
        _extractor.Expire(9_999, _out);
        Assert.Empty(_out);
        _extractor.Expire(10_000, _out);
        Assert.Equal("legacy", Assert.Single(_out).Key.SourceService);
    }

    [Fact]
    public void Observe_Ingress_AlwaysCountsWithIngressSource()
    {
        Observe(ConventionSpans.Proxy("ingress", "ingress", "frontend", Start, 1_000_000, parent: ConventionSpans.NewSpanId()), 0);
        var sample = Assert.Single(_out);
        Assert.Equal(NodeKind.Ingress, sample.Key.SourceKind);
        Assert.Equal("ingress", sample.Key.SourceService);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Observe_SdkClientAndServerInTwoServices_PairedIntoOneEdge(bool clientFirst)
    {
        var trace = ConventionSpans.NewTraceId();
        var client = ConventionSpans.Sdk("shop", SpanKind.Client, Start, 9_000_000, trace, extra: [KeyValue.Of("server.address", "pricing"), KeyValue.Of("server.port", 80L)]);
        var server = ConventionSpans.Sdk("pricing", SpanKind.Server, Start + 500_000, 7_000_000, trace, parent: client.SpanId, status: 503);
        Observe(clientFirst ? client : server, 0);
        Observe(clientFirst ? server : client, 10);
        _extractor.Expire(100_000, _out);

        var sample = Assert.Single(_out);
        Assert.Equal(("shop", "pricing", "pricing:80", "/api/{id}"), (sample.Key.SourceService, sample.Key.DestinationService, sample.Key.DestinationEndpoint, sample.Key.Route));
        Assert.Equal(9_000_000, sample.DurationNanos);
        Assert.True(sample.IsError);
        Assert.Equal(1, _extractor.Counters.Paired);
    }

    [Fact]
    public void Expire_SdkDatabaseClientWithoutServer_DatabaseNode()
    {
        Observe(ConventionSpans.Sdk("orders", SpanKind.Client, Start, 2_000_000, ConventionSpans.NewTraceId(), status: null,
            extra: [KeyValue.Of("db.system", "postgresql"), KeyValue.Of("server.address", "orders-db"), KeyValue.Of("server.port", 5432L)]), 0);
        Assert.Empty(_out);
        _extractor.Expire(10_000, _out);
        var sample = Assert.Single(_out);
        Assert.Equal(("orders", "orders-db", NodeKind.Database, "orders-db:5432"), (sample.Key.SourceService, sample.Key.DestinationService, sample.Key.DestinationKind, sample.Key.DestinationEndpoint));
        Assert.Equal(1, _extractor.Counters.VirtualEdges);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Observe_InstrumentedDatabaseServerUnderADbClient_EdgeFromTheClientsService(bool clientFirst)
    {
        var trace = ConventionSpans.NewTraceId();
        var client = ConventionSpans.Sdk("orders", SpanKind.Client, Start, 4_000_000, trace, status: null,
            extra: [KeyValue.Of("db.system", "postgresql"), KeyValue.Of("server.address", "orders-db"), KeyValue.Of("server.port", 5432L)]);
        var server = ConventionSpans.Sdk("orders-db", SpanKind.Server, Start + 100_000, 3_000_000, trace, parent: client.SpanId, status: null);
        Observe(clientFirst ? client : server, 0);
        Observe(clientFirst ? server : client, 10);
        _extractor.Expire(100_000, _out);

        var sample = Assert.Single(_out);
        Assert.Equal(("orders", "orders-db", NodeKind.Database), (sample.Key.SourceService, sample.Key.DestinationService, sample.Key.DestinationKind));
        Assert.Equal(4_000_000, sample.DurationNanos);
        Assert.Equal((1, 0, 0), (_extractor.Counters.Paired, _extractor.Counters.UnpairedServers, _extractor.Counters.VirtualEdges));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Observe_IngressAndTheInboundSidecarBehindIt_CountedOnceFromTheIngress(bool ingressFirst)
    {
        var ingress = ConventionSpans.Proxy("ingress", "ingress", "frontend", Start, 9_000_000);
        var inbound = ConventionSpans.Proxy("inbound", "unknown", "frontend", Start + 1_000_000, 7_000_000, traceId: ingress.TraceId, parent: ingress.SpanId, mtls: false);
        Observe(ingressFirst ? ingress : inbound, 0);
        Observe(ingressFirst ? inbound : ingress, 10);
        _extractor.Expire(100_000, _out);

        var sample = Assert.Single(_out);
        Assert.Equal(("ingress", NodeKind.Ingress, "frontend"), (sample.Key.SourceService, sample.Key.SourceKind, sample.Key.DestinationService));
        Assert.Equal(9_000_000, sample.DurationNanos);
        Assert.Equal((1, 0), (_extractor.Counters.InboundDeduplicated, _extractor.Counters.Pending));
    }

    [Fact]
    public void Expire_SdkClientWithPeerButNoServer_ExternalNode()
    {
        Observe(ConventionSpans.Sdk("shop", SpanKind.Client, Start, 2_000_000, ConventionSpans.NewTraceId(), extra: [KeyValue.Of("peer.service", "stripe")]), 0);
        Assert.Empty(_out);
        _extractor.Expire(10_000, _out);
        var sample = Assert.Single(_out);
        Assert.Equal(("stripe", NodeKind.External), (sample.Key.DestinationService, sample.Key.DestinationKind));
        Assert.Equal(1, _extractor.Counters.VirtualEdges);
    }

    [Fact]
    public void Expire_UnpairedSpans_CountedAndServersComeFromUnknown()
    {
        var trace = ConventionSpans.NewTraceId();
        Observe(ConventionSpans.Sdk("shop", SpanKind.Client, Start, 2_000_000, trace), 0);
        Observe(ConventionSpans.Sdk("pricing", SpanKind.Server, Start, 2_000_000, trace, parent: ConventionSpans.NewSpanId()), 0);
        _extractor.Expire(10_000, _out);
        var sample = Assert.Single(_out);
        Assert.Equal(("unknown", "pricing"), (sample.Key.SourceService, sample.Key.DestinationService));
        Assert.Equal((1, 1, 0), (_extractor.Counters.UnpairedClients, _extractor.Counters.UnpairedServers, _extractor.Counters.Pending));
    }

    [Fact]
    public void Observe_SdkClientCallingThroughAnInboundProxy_CountedOnceByTheProxyWithTheClientAsSource()
    {
        var trace = ConventionSpans.NewTraceId();
        var client = ConventionSpans.Sdk("batch-job", SpanKind.Client, Start, 3_000_000, trace, extra: [KeyValue.Of("server.address", "cart")]);
        var inbound = ConventionSpans.Proxy("inbound", "unknown", "cart", Start, 2_000_000, traceId: trace, parent: client.SpanId, mtls: false);
        Observe(inbound, 0);
        Observe(client, 5);
        _extractor.Expire(100_000, _out);
        var sample = Assert.Single(_out);
        Assert.Equal(("batch-job", NodeKind.Service, "cart"), (sample.Key.SourceService, sample.Key.SourceKind, sample.Key.DestinationService));
    }

    [Theory]
    [InlineData(503, null, StatusCode.Error, true)]
    [InlineData(200, 14L, StatusCode.Unset, true)]
    [InlineData(200, null, StatusCode.Error, true)]
    [InlineData(404, null, StatusCode.Unset, false)]
    [InlineData(200, 0L, StatusCode.Ok, false)]
    public void Observe_ErrorRules_Http5xxGrpcNonOkOrStatusError(int http, long? grpc, StatusCode status, bool expected)
    {
        var span = ConventionSpans.Proxy("outbound", "a", "b", Start, 1_000, status: http);
        span = span with
        {
            StatusCode = status,
            Attributes = grpc is { } g ? [.. span.Attributes, KeyValue.Of("rpc.grpc.status_code", g)] : span.Attributes,
        };
        Observe(span, 0);
        Assert.Equal(expected, Assert.Single(_out).IsError);
    }

    [Fact]
    public void Observe_ResponseFlags_RateLimitedAndCircuitBroken()
    {
        Observe(ConventionSpans.Proxy("outbound", "a", "b", Start, 1_000, status: 429, responseFlags: "RL"), 0);
        Observe(ConventionSpans.Proxy("outbound", "a", "b", Start, 1_000, status: 503, responseFlags: "UH,UO"), 0);
        Assert.Equal((true, false), (_out[0].RateLimited, _out[0].CircuitBroken));
        Assert.Equal((false, true), (_out[1].RateLimited, _out[1].CircuitBroken));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Observe_ServerSpansUnderAServerOfAnotherService_EachAnEdgeFromIt(bool parentFirst)
    {
        // Apps that instrument only what they serve: checkout's server span is the parent of payments' and inventory's.
        var trace = ConventionSpans.NewTraceId();
        var order = ConventionSpans.Sdk("checkout", SpanKind.Server, Start, 60_000_000, trace, status: 500);
        var charge = ConventionSpans.Sdk("payments", SpanKind.Server, Start + 1_000_000, 20_000_000, trace, parent: order.SpanId);
        var reserve = ConventionSpans.Sdk("inventory", SpanKind.Server, Start + 2_000_000, 10_000_000, trace, parent: order.SpanId);
        var spans = parentFirst ? new[] { order, charge, reserve } : [charge, reserve, order];
        foreach (var span in spans)
        {
            Observe(span, 0);
        }

        _extractor.Expire(60_000, _out);

        var edges = _out.Where(e => e.Key.SourceService == "checkout").OrderBy(e => e.Key.DestinationService).ToList();
        Assert.Equal(["inventory", "payments"], edges.Select(e => e.Key.DestinationService));
        Assert.Equal([10_000_000L, 20_000_000L], edges.Select(e => e.DurationNanos));
        Assert.All(edges, e => Assert.False(e.IsError));
        Assert.Single(_out, e => e.Key.DestinationService == "checkout");
        Assert.Equal(0, _extractor.Counters.UnpairedServers);
    }

    private void Observe(Span span, long nowMs) => _extractor.Observe(span, nowMs, _out);
}
