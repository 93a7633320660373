using Google.Protobuf;
using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Otlp.Conversion;
using Mesh.Otlp.Storage;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Rows;
using Mesh.Testing;
using Xunit;
using static Mesh.Storage.Tests.TestTelemetry;

namespace Mesh.Storage.Tests.ClickHouse;

/// <summary>
/// Span attributes in ClickHouse as AttributeText: written from OTLP bytes or the model, read back typed, searched
/// exactly; and rows of the earlier layout (JSON plus search arrays) still read and searched.
/// </summary>
[Collection(ClickHouseTestGroup.Name)]
public sealed class ClickHouseAttributeTextTests(ClickHouseServer server)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static TraceQuery Window => new()
    {
        StartUnixNano = BaseNanos - 3_600_000_000_000,
        EndUnixNano = BaseNanos + 3_600_000_000_000,
    };

    [Fact]
    public async Task WriteOtlp_RichSpans_ReadBackAsTheModelHasThem()
    {
        await using var store = await ClickHouseTestStores.CreateAsync(server);
        var trace = NewTraceId();
        var spans = new List<Span> { RichSpan(trace), RichSpan(trace, "cart") };
        var writer = Assert.IsAssignableFrom<IOtlpSpanWriter>(store.SpanWriter);

        await writer.WriteOtlpAsync([OtlpSpans.ToRequest(spans).ToByteArray()], WriteMode.First, Ct);
        await writer.WriteOtlpAsync([OtlpSpans.ToRequest(spans).ToByteArray()], WriteMode.Replay, Ct);

        var stored = await store.SpanReader.GetTraceAsync(trace, Ct);
        Assert.Equal(spans.OrderBy(s => s.StartTimeUnixNano).ThenBy(s => s.SpanId.Value), stored.OrderBy(s => s.StartTimeUnixNano).ThenBy(s => s.SpanId.Value));
        Assert.Equal(2, await ClickHouseTestStores.ScalarAsync(store, "SELECT count() FROM {spans}"));
        Assert.Equal(2, await ClickHouseTestStores.ScalarAsync(store, "SELECT count() FROM {trace_index}"));
    }

    [Fact]
    public async Task FindTraces_AttributeFilter_MatchesWholeKeysAndValuesOnly()
    {
        await using var store = await ClickHouseTestStores.CreateAsync(server);
        var separators = "a\u001eb\u001fc\u001bd";
        var nested = AnyValue.OfKvList([KeyValue.Of("tier", "gold")]);
        var match = NewTraceId();
        var other = NewTraceId();
        await store.SpanWriter.WriteSpansAsync(
            [
                NewSpan(match, "web", "GET /", 0, 1, attributes: [KeyValue.Of("tier", "gold"), KeyValue.Of(separators, separators), KeyValue.Of("n", 5L), KeyValue.Of("ratio", 1.0)]),
                NewSpan(other, "web", "GET /", 1, 1, attributes: [KeyValue.Of("tiers", "gold"), KeyValue.Of("xtier", "gold"), KeyValue.Of("tier2", "golden"), new KeyValue("obj", nested), KeyValue.Of("n", 55L)]),
            ],
            WriteMode.First,
            Ct);

        async Task<IEnumerable<TraceId>> Find(string key, string value) =>
            (await store.SpanReader.FindTracesAsync(Window with { Attributes = [KeyValuePair.Create(key, value)] }, Ct)).Select(t => t.TraceId);

        Assert.Equal([match], await Find("tier", "gold"));
        Assert.Empty(await Find("tier", "gol"));
        Assert.Equal([match], await Find(separators, separators));
        Assert.Empty(await Find("a", "b"));
        Assert.Equal([match], await Find("n", "5"));
        Assert.Equal([match], await Find("ratio", "1"));
        Assert.Equal([match], await Find("service.name", "web").ContinueWith(t => t.Result.Where(id => id == match), TaskScheduler.Default));
        Assert.Equal([other], await Find("obj", nested.ToDisplayString()));
    }

    [Fact]
    public async Task SpansOfTheEarlierLayout_AreReadAndSearched()
    {
        await using var store = await ClickHouseTestStores.CreateAsync(server);
        var trace = NewTraceId();
        var span = NewSpan(trace, "legacy", "GET /old", 0, 3, attributes: [KeyValue.Of("tier", "gold"), KeyValue.Of("n", 7L)]);

        // A row as Mesh wrote it before AttributeText: JSON attributes, display-text search arrays, attr_text empty.
        var columns = "timestamp, service, name, kind, trace_id, span_id, parent_span_id, trace_state, flags, start_time_unix_nano, end_time_unix_nano, " +
            "duration_nanos, status_code, status_message, attributes, dropped_attributes_count, events, dropped_events_count, links, dropped_links_count, " +
            "resource_attributes, resource_dropped_attributes_count, resource_schema_url, scope_name, scope_version, scope_attributes, " +
            "scope_dropped_attributes_count, scope_schema_url, search_keys, search_values";
        var keys = span.Attributes.Concat(span.Resource.Attributes).Select(a => a.Key).ToList();
        var values = span.Attributes.Concat(span.Resource.Attributes).Select(a => a.Value.ToDisplayString()).ToList();
        var row = SqlFragment.Format(
            $"""
            INSERT INTO {ClickHouseSql.Identifier(store.Options.Database)}.spans ({SqlFragment.Trusted(columns)}) VALUES (
              toDateTime({ClickHouseSql.Number(span.StartTimeUnixNano / 1_000_000_000)}), 'legacy', 'GET /old', 2,
              {ClickHouseSql.Quote(span.TraceId.ToString())}, {ClickHouseSql.Quote(span.SpanId.ToString())}, '', '', 0,
              {ClickHouseSql.Number(span.StartTimeUnixNano)}, {ClickHouseSql.Number(span.EndTimeUnixNano)}, {ClickHouseSql.Number(span.DurationNanos)}, 0, '',
              {ClickHouseSql.Quote(AttributeJson.Serialize(span.Attributes))}, 0, '[]', 0, '[]', 0,
              {ClickHouseSql.Quote(AttributeJson.Serialize(span.Resource.Attributes))}, 0, {ClickHouseSql.Quote(span.Resource.SchemaUrl)},
              {ClickHouseSql.Quote(span.Scope.Name)}, {ClickHouseSql.Quote(span.Scope.Version)}, {ClickHouseSql.Quote(AttributeJson.Serialize(span.Scope.Attributes))},
              {ClickHouseSql.Number(span.Scope.DroppedAttributesCount)}, '',
              [{ClickHouseSql.QuoteList(keys)}], [{ClickHouseSql.QuoteList(values)}])
            """);
        await store.Client.ExecuteAsync(SqlFragment.Format($"{row}"), Ct);
        var index = SqlFragment.Format(
            $"""
            INSERT INTO {ClickHouseSql.Identifier(store.Options.Database)}.trace_index VALUES (
              toDateTime({ClickHouseSql.Number(span.StartTimeUnixNano / 1_000_000_000)}), {ClickHouseSql.Quote(span.TraceId.ToString())},
              {ClickHouseSql.Quote(span.SpanId.ToString())}, 'legacy', 'GET /old', 1, {ClickHouseSql.Number(span.StartTimeUnixNano)}, {ClickHouseSql.Number(span.EndTimeUnixNano)}, 0)
            """);
        await store.Client.ExecuteAsync(index, Ct);

        Assert.Equal(span, Assert.Single(await store.SpanReader.GetTraceAsync(trace, Ct)));
        var found = await store.SpanReader.FindTracesAsync(Window with { Attributes = [KeyValuePair.Create("n", "7"), KeyValuePair.Create("service.name", "legacy")] }, Ct);
        Assert.Equal(trace, Assert.Single(found).TraceId);
    }

    [Fact]
    public async Task Initialize_OnASpansTableWithoutAttrText_AddsItOnce()
    {
        await using var store = await ClickHouseTestStores.CreateAsync(server);
        var spans = SqlFragment.Format($"{ClickHouseSql.Identifier(store.Options.Database)}.spans");
        await store.Client.ExecuteAsync(SqlFragment.Format($"ALTER TABLE {spans} DROP COLUMN attr_text, DROP COLUMN resource_attr_text"), Ct);

        await store.InitializeAsync(Ct);
        await store.InitializeAsync(Ct);

        var trace = NewTraceId();
        var span = RichSpan(trace);
        await store.SpanWriter.WriteSpansAsync([span], WriteMode.First, Ct);
        Assert.Equal(span, Assert.Single(await store.SpanReader.GetTraceAsync(trace, Ct)));
    }

    [Fact]
    public void AttributeText_RoundTripsEveryKindAndEscapesSeparators()
    {
        IReadOnlyList<KeyValue> attributes =
        [
            KeyValue.Of("s", "x\u001ey\u001fz\u001b0"), KeyValue.Of("\u001b", true), KeyValue.Of("i", long.MinValue), KeyValue.Of("d", -0.0),
            KeyValue.Of("nan", double.NaN), KeyValue.Of("inf", double.NegativeInfinity), new KeyValue("b", AnyValue.OfBytes([0, 255, 62])),
            new KeyValue("a", AnyValue.OfArray([AnyValue.Of(1L), AnyValue.Of("t")])), new KeyValue("k", AnyValue.OfKvList([KeyValue.Of("q", 2.5)])),
            new KeyValue("e", AnyValue.Empty), KeyValue.Of(string.Empty, string.Empty),
        ];
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        AttributeText.Write(buffer, attributes);
        var text = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);

        Assert.Equal(attributes, AttributeText.Read(text));
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(AttributeText.Read(text)[3].Value.DoubleValue));
        Assert.Contains(AttributeText.Needle("s", "x\u001ey\u001fz\u001b0"), text, StringComparison.Ordinal);
        Assert.Equal(1, text.Split(AttributeText.Needle("s", "x\u001ey\u001fz\u001b0")).Length - 1);
        Assert.Empty(AttributeText.Read(string.Empty));
    }
}
