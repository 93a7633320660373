using Google.Protobuf;
using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Otlp.Conversion;
using Mesh.Otlp.Storage;
using Mesh.Otlp.Wire;
using Xunit;
using ProtoAnyValue = Mesh.Otlp.Proto.Common.AnyValue;
using ProtoKeyValue = Mesh.Otlp.Proto.Common.KeyValue;
using ProtoResource = Mesh.Otlp.Proto.Resource.Resource;
using ResourceSpans = Mesh.Otlp.Proto.Trace.ResourceSpans;

namespace Mesh.Storage.Tests.Sqlite;

/// <summary>
/// OTLP bytes written straight to SQLite (no model) must leave the database exactly as the model path does for
/// the same requests: every column of spans, trace_runs, resources, scopes and operations is compared.
/// </summary>
public sealed class SqliteOtlpWriteTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private const string Dump =
        "SELECT hex(s.trace_id), s.span_id, s.parent_span_id, s.trace_state, s.flags, s.name, s.kind, s.start_ns, s.end_ns, s.duration_ns, " +
        "s.status_code, s.status_message, s.service, r.key, r.attributes, r.dropped_attributes, r.schema_url, sc.key, sc.name, sc.version, " +
        "sc.attributes, s.attributes, s.dropped_attributes, s.events, s.dropped_events, s.links, s.dropped_links " +
        "FROM spans s JOIN resources r ON r.id = s.resource_id JOIN scopes sc ON sc.id = s.scope_id ORDER BY s.row_id";

    [Fact]
    public async Task WriteOtlp_RandomRequests_StoreWhatTheModelPathStores()
    {
        var requests = Enumerable.Range(0, 200).Select(seed => new OtlpTestRequests.RandomRequests(seed).Request().ToByteArray()).ToList();
        await AssertSameAsModelAsync(requests, expectedSkipped: 0);
    }

    [Fact]
    public async Task WriteOtlp_InvalidUtf8_DecodedAsTheModelDecodesIt()
    {
        var span = OtlpTestRequests.Valid();
        span.Name = "NAME";
        span.TraceState = "STATE";
        span.Status = new Mesh.Otlp.Proto.Trace.Status { Message = "MSG", Code = Mesh.Otlp.Proto.Trace.Status.Types.StatusCode.Error };
        span.Attributes.Add(new ProtoKeyValue { Key = "KEY1", Value = new ProtoAnyValue { StringValue = "VALUE" } });
        var request = OtlpTestRequests.Wrap(span, new ProtoResource { Attributes = { new ProtoKeyValue { Key = "service.name", Value = new ProtoAnyValue { StringValue = "SVC" } } } });
        var bytes = request.ToByteArray();
        OtlpTestRequests.Replace(bytes, "NAME"u8, [0xFF, 0x41, 0xC3, 0x28]);
        OtlpTestRequests.Replace(bytes, "STATE"u8, [0xE2, 0x82, 0x41, 0x42, 0x43]);
        OtlpTestRequests.Replace(bytes, "MSG"u8, [0xC0, 0x80, 0x41]);
        OtlpTestRequests.Replace(bytes, "KEY1"u8, [0x4B, 0xED, 0xA0, 0x80]);
        OtlpTestRequests.Replace(bytes, "VALUE"u8, [0xF0, 0x9F, 0x98, 0x41, 0x80]);
        OtlpTestRequests.Replace(bytes, "SVC"u8, [0xC0, 0xAF, 0x41]);
        Assert.True(OtlpTraceWire.TryWalk(bytes, new SkipAll()));
        await AssertSameAsModelAsync([bytes], expectedSkipped: 0);
    }

    [Fact]
    public async Task WriteOtlp_DeclinedAndUnparseableRequests_ModelPathAndLeftOut()
    {
        // Two resource fields in one ResourceSpans: protobuf merges them, which the walk leaves to the model.
        var first = OtlpTestRequests.Wrap(OtlpTestRequests.Valid(), new ProtoResource { Attributes = { new ProtoKeyValue { Key = "service.name", Value = new ProtoAnyValue { StringValue = "a" } } } });
        var extra = new ResourceSpans { Resource = new ProtoResource { Attributes = { new ProtoKeyValue { Key = "host.name", Value = new ProtoAnyValue { StringValue = "h" } } } } };
        var resourceSpans = first.ResourceSpans[0].ToByteArray().Concat(extra.ToByteArray()).ToArray();
        var declined = new byte[] { 0x0A }.Concat(OtlpTestRequests.Varint(resourceSpans.Length)).Concat(resourceSpans).ToArray();
        Assert.False(OtlpTraceWire.TryWalk(declined, new SkipAll()));
        byte[] garbage = [0x0A, 0x05, 0x12, 0x03, 0x12, 0x01, 0xFF];
        var other = new OtlpTestRequests.RandomRequests(7).Request().ToByteArray();

        await using var wire = await SqliteTestStore.CreateAsync();
        var skipped = await ((IOtlpSpanWriter)wire.Store.SpanWriter).WriteOtlpAsync([other, declined, garbage], WriteMode.First, Ct);

        Assert.Equal(1, skipped);
        await using var model = await SqliteTestStore.CreateAsync();
        await WriteViaModelAsync(model, [other, declined]);
        Assert.Equal(Rows(model, Dump), Rows(wire, Dump));
        Assert.Contains(Rows(wire, "SELECT r.attributes FROM spans s JOIN resources r ON r.id = s.resource_id"), r => r[0]!.ToString()!.Contains("host.name", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteOtlp_ReplayOfWrittenRequests_StoresNothingTwice()
    {
        var requests = Enumerable.Range(300, 20).Select(seed => (ReadOnlyMemory<byte>)new OtlpTestRequests.RandomRequests(seed).Request().ToByteArray()).ToList();
        await using var wire = await SqliteTestStore.CreateAsync();
        var writer = (IOtlpSpanWriter)wire.Store.SpanWriter;
        await writer.WriteOtlpAsync(requests[..10], WriteMode.First, Ct);

        await writer.WriteOtlpAsync(requests, WriteMode.Replay, Ct);

        await using var model = await SqliteTestStore.CreateAsync();
        await WriteViaModelAsync(model, [.. requests.Select(r => r.ToArray())]);
        var sortedDump = Dump.Replace("ORDER BY s.row_id", "ORDER BY 1, 2", StringComparison.Ordinal);
        Assert.Equal(Rows(model, sortedDump), Rows(wire, sortedDump));
    }

    private static async Task AssertSameAsModelAsync(IReadOnlyList<byte[]> requests, int expectedSkipped)
    {
        await using var wire = await SqliteTestStore.CreateAsync();
        var skipped = await ((IOtlpSpanWriter)wire.Store.SpanWriter).WriteOtlpAsync([.. requests.Select(r => (ReadOnlyMemory<byte>)r)], WriteMode.First, Ct);
        Assert.Equal(expectedSkipped, skipped);

        await using var model = await SqliteTestStore.CreateAsync();
        await WriteViaModelAsync(model, requests);

        var expected = Rows(model, Dump);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Rows(wire, Dump));
        foreach (var table in new[] { "SELECT * FROM trace_runs ORDER BY 1, 2", "SELECT * FROM operations ORDER BY 1, 2, 3", "SELECT id, key FROM resources ORDER BY id", "SELECT id, key FROM scopes ORDER BY id" })
        {
            Assert.Equal(Rows(model, table), Rows(wire, table));
        }
    }

    private static async Task WriteViaModelAsync(SqliteTestStore store, IReadOnlyList<byte[]> requests)
    {
        var spans = new List<Span>();
        foreach (var request in requests)
        {
            Assert.True(OtlpSpans.TryToModel(request, spans));
        }

        await store.Store.SpanWriter.WriteSpansAsync(spans, WriteMode.First, Ct);
    }

    private static List<object?[]> Rows(SqliteTestStore store, string sql)
    {
        using var connection = store.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }

        return rows;
    }

    private sealed class SkipAll : IWireSpanVisitor
    {
        public void OnResource(ReadOnlySpan<byte> resource, ReadOnlySpan<byte> schemaUrl)
        {
        }

        public void OnScope(ReadOnlySpan<byte> scope, ReadOnlySpan<byte> schemaUrl)
        {
        }

        public void OnSpan(scoped in WireSpan span)
        {
        }
    }
}
