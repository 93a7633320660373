using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Testing;
using Xunit;
using static Mesh.Storage.Tests.TestTelemetry;

namespace Mesh.Storage.Tests.ClickHouse;

/// <summary>ClickHouse-specific behaviour beyond the shared conformance suite: awkward text end to end, compression, outages.</summary>
[Collection(ClickHouseTestGroup.Name)]
public sealed class ClickHouseStoreTests(ClickHouseServer server)
{
    private const string Awkward = "it's a \"test\" \\ with\nnewline\ttab\0nul ✓ 🎉 {spans} '; DROP TABLE spans; --";

    private static readonly CancellationToken Ct = CancellationToken.None;

    private static TraceQuery Window => new()
    {
        StartUnixNano = BaseNanos - 3_600_000_000_000,
        EndUnixNano = BaseNanos + 3_600_000_000_000,
    };

    [Fact]
    public async Task WriteSpans_AwkwardTextEverywhere_RoundTripsAndIsSearchable()
    {
        await using var store = await ClickHouseTestStores.CreateAsync(server);
        var trace = NewTraceId();
        var span = NewSpan(trace, Awkward, Awkward, 0, 5, attributes: [KeyValue.Of(Awkward, Awkward), KeyValue.Of("plain", "x")]) with
        {
            TraceState = Awkward,
            StatusMessage = Awkward,
            Events = [new SpanEvent { Name = Awkward, TimeUnixNano = BaseNanos, Attributes = [KeyValue.Of(Awkward, 1L)] }],
        };

        await store.SpanWriter.WriteSpansAsync([span], WriteMode.First, Ct);
        await store.SpanWriter.WriteSpansAsync([span], WriteMode.Replay, Ct);

        Assert.Equal(span, Assert.Single(await store.SpanReader.GetTraceAsync(trace, Ct)));
        Assert.Equal([Awkward], await store.SpanReader.GetServicesAsync(Ct));
        Assert.Equal([new Operation(Awkward, SpanKind.Server)], await store.SpanReader.GetOperationsAsync(Awkward, Ct));
        var query = Window with
        {
            Service = Awkward,
            Operation = Awkward,
            Attributes = [KeyValuePair.Create(Awkward, Awkward)],
        };
        var summary = Assert.Single(await store.SpanReader.FindTracesAsync(query, Ct));
        Assert.Equal(Awkward, summary.RootService);
        Assert.Equal(Awkward, summary.RootOperation);
        Assert.Empty(await store.SpanReader.FindTracesAsync(query with { Attributes = [KeyValuePair.Create(Awkward, Awkward + "'")] }, Ct));
    }

    [Fact]
    public async Task FindLogs_AwkwardBodyAndService_RoundTripsAndMatchesSubstring()
    {
        await using var store = await ClickHouseTestStores.CreateAsync(server);
        var log = NewLog(Awkward, 1, 17, Awkward) with { SeverityText = Awkward, EventName = Awkward };
        var bytesBody = NewLog(Awkward, 2, 9, "x") with { Body = AnyValue.OfBytes([0, 39, 92, 255]) };
        var emptyBody = NewLog(Awkward, 3, 9, "x") with { Body = AnyValue.Empty };
        await store.LogWriter.WriteLogsAsync([log, bytesBody], WriteMode.First, Ct);
        await store.LogWriter.WriteLogsAsync([log, bytesBody, emptyBody], WriteMode.Replay, Ct);
        var window = new LogQuery { StartUnixNano = BaseNanos, EndUnixNano = BaseNanos + 60_000_000_000, Service = Awkward };

        Assert.Equal([emptyBody, bytesBody, log], await store.LogReader.FindLogsAsync(window, Ct));
        Assert.Equal([log], await store.LogReader.FindLogsAsync(window with { Contains = "\\ with\nnewline\ttab\0nul ✓" }, Ct));
        Assert.Empty(await store.LogReader.FindLogsAsync(window with { Contains = "' OR '1'='1" }, Ct));
    }

    [Fact]
    public async Task WriteSpans_CompressedInserts_RoundTrip()
    {
        await using var store = await ClickHouseTestStores.CreateAsync(server, o => o with { CompressInserts = true });
        var trace = NewTraceId();
        var spans = Enumerable.Range(0, 300).Select(i => i == 0 ? RichSpan(trace) : NewSpan(trace, "zip", $"op{i}", i, 1)).ToList();
        var log = NewLog("zip", 0, 9, "compressed");

        await store.SpanWriter.WriteSpansAsync(spans, WriteMode.First, Ct);
        await store.LogWriter.WriteLogsAsync([log], WriteMode.First, Ct);

        var stored = await store.SpanReader.GetTraceAsync(trace, Ct);
        Assert.Equal(300, stored.Count);
        Assert.Equal(spans[0], stored.Single(s => s.SpanId == spans[0].SpanId));
        Assert.Equal([log], await store.LogReader.FindLogsAsync(new LogQuery { StartUnixNano = BaseNanos, EndUnixNano = BaseNanos + 1_000_000_000 }, Ct));
    }

    [Fact]
    public async Task WriteSpans_BatchSpanningDays_LandsInEachDaysPartitionAndReadsBack()
    {
        await using var store = await ClickHouseTestStores.CreateAsync(server);
        var trace = NewTraceId();
        const long Day = 86_400_000;
        var spans = new[] { NewSpan(trace, "days", "a", -Day, 1), NewSpan(trace, "days", "b", 0, 1), NewSpan(trace, "days", "c", Day, 1) };

        await store.SpanWriter.WriteSpansAsync(spans, WriteMode.First, Ct);

        Assert.Equal(spans, await store.SpanReader.GetTraceAsync(trace, Ct));
        Assert.Equal(3, await ClickHouseTestStores.ScalarAsync(store, "SELECT uniqExact(toDate(timestamp)) FROM {spans}"));
    }

    [Fact]
    public async Task WriteSpans_TimesOutsideDateTimeRange_AreStoredAndReadBackUnchanged()
    {
        await using var store = await ClickHouseTestStores.CreateAsync(server);
        var trace = NewTraceId();
        var zero = NewSpan(trace, "clock", "zero", 0, 1) with { StartTimeUnixNano = 0, EndTimeUnixNano = 5 };
        var negative = NewSpan(trace, "clock", "negative", 0, 1) with { StartTimeUnixNano = -10, EndTimeUnixNano = -20 };
        var far = NewSpan(trace, "clock", "far", 0, 1) with { StartTimeUnixNano = long.MaxValue - 1, EndTimeUnixNano = long.MaxValue };

        await store.SpanWriter.WriteSpansAsync([far, zero, negative], WriteMode.First, Ct);
        await store.SpanWriter.WriteSpansAsync([far, zero, negative], WriteMode.Replay, Ct);

        Assert.Equal([negative, zero, far], await store.SpanReader.GetTraceAsync(trace, Ct));
        var all = new TraceQuery { StartUnixNano = long.MinValue, EndUnixNano = long.MaxValue, Service = "clock" };
        var summary = Assert.Single(await store.SpanReader.FindTracesAsync(all, Ct));
        Assert.Equal(3, summary.SpanCount);
        Assert.Equal(-10, summary.StartUnixNano);
    }

    [Fact]
    public async Task FindTracesAndLogs_MatchesOnBothSidesOfTheFirstSearchStep_ReturnNewestFirstAcrossSteps()
    {
        await using var store = await ClickHouseTestStores.CreateAsync(server);
        var end = BaseNanos + 3_600_000_000_000;

        // Newest-first searches look at the last minute, then the last quarter hour, then the whole range.
        var offsetsMs = new long[] { 3_599_990, 3_599_000, 3_000_000, 10_000, -3_000_000 };
        var traces = offsetsMs.Select(_ => NewTraceId()).ToList();
        await store.SpanWriter.WriteSpansAsync([.. traces.Select((t, i) => NewSpan(t, "steps", "op", offsetsMs[i], 1))], WriteMode.First, Ct);
        var logs = offsetsMs.Select((o, i) => NewLog("steps", o, 9, $"log {i}")).ToList();
        await store.LogWriter.WriteLogsAsync(logs, WriteMode.First, Ct);

        async Task<IEnumerable<TraceId>> Traces(int limit) =>
            (await store.SpanReader.FindTracesAsync(Window with { EndUnixNano = end, Limit = limit }, Ct)).Select(s => s.TraceId);
        async Task<IReadOnlyList<LogRecord>> Logs(int limit) =>
            await store.LogReader.FindLogsAsync(new LogQuery { StartUnixNano = Window.StartUnixNano, EndUnixNano = end, Limit = limit }, Ct);

        Assert.Equal(traces[..2], await Traces(2));
        Assert.Equal(traces[..3], await Traces(3));
        Assert.Equal(traces[..4], await Traces(4));
        Assert.Equal(traces, await Traces(10));
        Assert.Equal(logs[..2], await Logs(2));
        Assert.Equal(logs[..3], await Logs(3));
        Assert.Equal(logs, await Logs(10));
    }

    [Fact]
    public async Task Store_ServerStoppedAndRestarted_ReportsUnavailableThenRecoversWithReplay()
    {
        await using var store = await ClickHouseTestStores.CreateAsync(server);
        var trace = NewTraceId();
        var before = NewSpan(trace, "outage", "before", 0, 1);
        var during = Enumerable.Range(0, 5).Select(i => NewSpan(trace, "outage", $"during{i}", i + 1, 1)).ToList();
        await store.SpanWriter.WriteSpansAsync([before], WriteMode.First, Ct);

        server.Stop();
        try
        {
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.SpanWriter.WriteSpansAsync(during, WriteMode.First, Ct).AsTask());
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.LogWriter.WriteLogsAsync([NewLog("outage", 0, 9, "x")], WriteMode.First, Ct).AsTask());
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.SpanReader.GetTraceAsync(trace, Ct).AsTask());
        }
        finally
        {
            await server.StartAsync();
        }

        // The pipeline keeps the failed batch and offers it again as a replay, possibly more than once.
        await store.SpanWriter.WriteSpansAsync(during, WriteMode.Replay, Ct);
        await store.SpanWriter.WriteSpansAsync([before, .. during], WriteMode.Replay, Ct);

        var stored = await store.SpanReader.GetTraceAsync(trace, Ct);
        Assert.Equal([before, .. during], stored);
    }
}
