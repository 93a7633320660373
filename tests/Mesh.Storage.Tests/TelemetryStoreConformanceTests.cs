using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Xunit;
using static Mesh.Storage.Tests.TestTelemetry;

namespace Mesh.Storage.Tests;

/// <summary>
/// The contract every span/log store must keep, run once per backend against a real server.
/// Each test gets a fresh, empty store from <see cref="CreateStoreAsync"/>.
/// </summary>
public abstract class TelemetryStoreConformanceTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>A new, empty, initialised store owned by the test.</summary>
    protected abstract Task<ITelemetryStore> CreateStoreAsync();

    private static TraceQuery Window(int limit = 20) => new()
    {
        StartUnixNano = BaseNanos - 3_600_000_000_000,
        EndUnixNano = BaseNanos + 3_600_000_000_000,
        Limit = limit,
    };

    private static LogQuery LogWindow(int limit = 100) => new()
    {
        StartUnixNano = BaseNanos - 3_600_000_000_000,
        EndUnixNano = BaseNanos + 3_600_000_000_000,
        Limit = limit,
    };

    [Fact]
    public async Task Initialize_CalledTwice_IsIdempotent()
    {
        await using var store = await CreateStoreAsync();
        await store.InitializeAsync(Ct);
        var trace = NewTraceId();
        await store.SpanWriter.WriteSpansAsync([NewSpan(trace, "a", "op", 0, 5)], WriteMode.First, Ct);
        await store.InitializeAsync(Ct);
        Assert.Single(await store.SpanReader.GetTraceAsync(trace, Ct));
    }

    [Fact]
    public async Task GetTrace_AfterWrite_ReturnsEverySpanWithEveryField()
    {
        await using var store = await CreateStoreAsync();
        var trace = NewTraceId();
        var rich = RichSpan(trace);
        var child = NewSpan(trace, "cart", "GET /cart", 500, 10, parent: rich.SpanId);
        var earlier = NewSpan(trace, "frontend", "GET /", 0, 2000);
        await store.SpanWriter.WriteSpansAsync([rich, child, earlier], WriteMode.First, Ct);

        var spans = await store.SpanReader.GetTraceAsync(trace, Ct);

        Assert.Equal(3, spans.Count);
        Assert.Equal([earlier.SpanId, rich.SpanId, child.SpanId], spans.Select(s => s.SpanId));
        var stored = spans.Single(s => s.SpanId == rich.SpanId);
        Assert.Equal(rich.Attributes, stored.Attributes);
        Assert.Equal(rich.Events, stored.Events);
        Assert.Equal(rich.Links, stored.Links);
        Assert.Equal(rich.Resource, stored.Resource);
        Assert.Equal(rich.Scope, stored.Scope);
        Assert.Equal(rich, stored);
        Assert.Equal(child, spans.Single(s => s.SpanId == child.SpanId));
    }

    [Fact]
    public async Task GetTrace_UnknownTrace_ReturnsEmpty()
    {
        await using var store = await CreateStoreAsync();
        await store.SpanWriter.WriteSpansAsync([NewSpan(NewTraceId(), "a", "op", 0, 5)], WriteMode.First, Ct);
        Assert.Empty(await store.SpanReader.GetTraceAsync(NewTraceId(), Ct));
    }

    [Fact]
    public async Task WriteSpans_ReplayOfWrittenBatch_StoresEachSpanOnce()
    {
        await using var store = await CreateStoreAsync();
        var trace = NewTraceId();
        var batch = Enumerable.Range(0, 10).Select(i => NewSpan(trace, "svc", $"op{i}", i, 1)).ToList();

        await store.SpanWriter.WriteSpansAsync(batch.Take(4).ToList(), WriteMode.First, Ct);
        await store.SpanWriter.WriteSpansAsync(batch, WriteMode.Replay, Ct);
        await store.SpanWriter.WriteSpansAsync(batch, WriteMode.Replay, Ct);

        var spans = await store.SpanReader.GetTraceAsync(trace, Ct);
        Assert.Equal(10, spans.Count);
        Assert.Equal(10, spans.Select(s => s.SpanId).Distinct().Count());
        var summary = Assert.Single(await store.SpanReader.FindTracesAsync(Window() with { Service = "svc" }, Ct));
        Assert.Equal(10, summary.SpanCount);
    }

    [Fact]
    public async Task WriteLogs_ReplayOfWrittenBatch_StoresEachRecordOnce()
    {
        await using var store = await CreateStoreAsync();
        var batch = Enumerable.Range(0, 6).Select(i => NewLog("replayed", i, 9, $"line {i}")).ToList();

        await store.LogWriter.WriteLogsAsync(batch.Take(2).ToList(), WriteMode.First, Ct);
        await store.LogWriter.WriteLogsAsync(batch, WriteMode.Replay, Ct);

        var logs = await store.LogReader.FindLogsAsync(LogWindow() with { Service = "replayed" }, Ct);
        Assert.Equal(6, logs.Count);
        Assert.Equal(batch.Select(l => l.LogId).Order(), logs.Select(l => l.LogId).Order());
    }

    [Fact]
    public async Task FindTraces_ByService_ReturnsNewestFirstWithinLimit()
    {
        await using var store = await CreateStoreAsync();
        var traces = Enumerable.Range(0, 5).Select(_ => NewTraceId()).ToList();
        var spans = traces.Select((t, i) => NewSpan(t, "orders", "GET /orders", i * 1000, 10)).ToList();
        spans.Add(NewSpan(NewTraceId(), "other", "GET /orders", 10_000, 10));
        await store.SpanWriter.WriteSpansAsync(spans, WriteMode.First, Ct);

        var found = await store.SpanReader.FindTracesAsync(Window(limit: 3) with { Service = "orders" }, Ct);

        Assert.Equal([traces[4], traces[3], traces[2]], found.Select(s => s.TraceId));
    }

    [Fact]
    public async Task FindTraces_Summary_CoversTheWholeTrace()
    {
        await using var store = await CreateStoreAsync();
        var trace = NewTraceId();
        var root = NewSpan(trace, "frontend", "GET /checkout", 0, 300);
        var mid = NewSpan(trace, "checkout", "place order", 20, 200, parent: root.SpanId, status: StatusCode.Error);
        var leaf = NewSpan(trace, "payments", "charge", 50, 290, parent: mid.SpanId, status: StatusCode.Error);
        await store.SpanWriter.WriteSpansAsync([leaf, mid, root], WriteMode.First, Ct);

        var summary = Assert.Single(await store.SpanReader.FindTracesAsync(Window() with { Service = "payments" }, Ct));

        Assert.Equal(trace, summary.TraceId);
        Assert.Equal("frontend", summary.RootService);
        Assert.Equal("GET /checkout", summary.RootOperation);
        Assert.Equal(root.StartTimeUnixNano, summary.StartUnixNano);
        Assert.Equal(340L * 1_000_000, summary.DurationNanos);
        Assert.Equal(3, summary.SpanCount);
        Assert.Equal(2, summary.ErrorCount);
        Assert.Equal(["checkout", "frontend", "payments"], summary.Services);
    }

    [Fact]
    public async Task FindTraces_TraceWithoutRootSpan_UsesEarliestSpanAsRoot()
    {
        await using var store = await CreateStoreAsync();
        var trace = NewTraceId();
        var first = NewSpan(trace, "late-joiner", "consume", 10, 5, parent: NewSpanId());
        var second = NewSpan(trace, "late-joiner", "process", 20, 5, parent: first.SpanId);
        await store.SpanWriter.WriteSpansAsync([second, first], WriteMode.First, Ct);

        var summary = Assert.Single(await store.SpanReader.FindTracesAsync(Window() with { Service = "late-joiner" }, Ct));

        Assert.Equal("consume", summary.RootOperation);
    }

    [Fact]
    public async Task FindTraces_EveryCriterion_MustHoldOnOneSpan()
    {
        await using var store = await CreateStoreAsync();
        var slowError = NewTraceId();
        var fastError = NewTraceId();
        var slowOk = NewTraceId();
        var otherOp = NewTraceId();
        await store.SpanWriter.WriteSpansAsync(
            [
                NewSpan(slowError, "api", "GET /items", 0, 900, status: StatusCode.Error),
                NewSpan(fastError, "api", "GET /items", 10, 5, status: StatusCode.Error),
                NewSpan(slowOk, "api", "GET /items", 20, 800, status: StatusCode.Ok),
                NewSpan(otherOp, "api", "GET /other", 30, 900, status: StatusCode.Error),
            ],
            WriteMode.First,
            Ct);

        var query = Window() with
        {
            Service = "api",
            Operation = "GET /items",
            MinDurationNanos = 100_000_000,
            MaxDurationNanos = 1_000_000_000,
            Status = TraceStatusFilter.Error,
        };
        var found = await store.SpanReader.FindTracesAsync(query, Ct);
        Assert.Equal([slowError], found.Select(s => s.TraceId));

        var ok = await store.SpanReader.FindTracesAsync(query with { Status = TraceStatusFilter.Ok }, Ct);
        Assert.Equal([slowOk], ok.Select(s => s.TraceId));

        var maxOnly = await store.SpanReader.FindTracesAsync(Window() with { Service = "api", MaxDurationNanos = 10_000_000 }, Ct);
        Assert.Equal([fastError], maxOnly.Select(s => s.TraceId));
    }

    [Fact]
    public async Task FindTraces_ByAttributes_MatchesSpanAndResourceAttributesByDisplayText()
    {
        await using var store = await CreateStoreAsync();
        var match = NewTraceId();
        var wrongStatus = NewTraceId();
        await store.SpanWriter.WriteSpansAsync(
            [
                NewSpan(match, "web", "GET /", 0, 1, attributes: [KeyValue.Of("http.response.status_code", 503L), KeyValue.Of("user.tier", "gold"), KeyValue.Of("cache.hit", false)]),
                NewSpan(wrongStatus, "web", "GET /", 1, 1, attributes: [KeyValue.Of("http.response.status_code", 200L), KeyValue.Of("user.tier", "gold")]),
            ],
            WriteMode.First,
            Ct);

        async Task<IEnumerable<TraceId>> Find(params (string Key, string Value)[] attrs) =>
            (await store.SpanReader.FindTracesAsync(Window() with { Attributes = [.. attrs.Select(a => KeyValuePair.Create(a.Key, a.Value))] }, Ct))
                .Select(s => s.TraceId);

        Assert.Equal([match], await Find(("http.response.status_code", "503")));
        Assert.Equal([match], await Find(("user.tier", "gold"), ("cache.hit", "false")));
        Assert.Equal([match], await Find(("http.response.status_code", "503"), ("host.name", "node-1")));
        Assert.Empty(await Find(("user.tier", "silver")));
        Assert.Empty(await Find(("no.such.key", "gold")));
    }

    [Fact]
    public async Task FindTraces_TimeWindow_ExcludesSpansOutsideIt()
    {
        await using var store = await CreateStoreAsync();
        var inside = NewTraceId();
        var before = NewTraceId();
        await store.SpanWriter.WriteSpansAsync(
            [NewSpan(inside, "timed", "op", 60_000, 5), NewSpan(before, "timed", "op", -60_000, 5)],
            WriteMode.First,
            Ct);

        var found = await store.SpanReader.FindTracesAsync(
            new TraceQuery { Service = "timed", StartUnixNano = BaseNanos, EndUnixNano = BaseNanos + 120_000_000_000 },
            Ct);

        Assert.Equal([inside], found.Select(s => s.TraceId));
    }

    [Fact]
    public async Task FindTraces_UnknownService_ReturnsEmpty()
    {
        await using var store = await CreateStoreAsync();
        await store.SpanWriter.WriteSpansAsync([NewSpan(NewTraceId(), "known", "op", 0, 1)], WriteMode.First, Ct);
        Assert.Empty(await store.SpanReader.FindTracesAsync(Window() with { Service = "unknown" }, Ct));
    }

    [Fact]
    public async Task GetServicesAndOperations_ReturnDistinctSortedValues()
    {
        await using var store = await CreateStoreAsync();
        var t = NewTraceId();
        await store.SpanWriter.WriteSpansAsync(
            [
                NewSpan(t, "zeta", "b-op", 0, 1),
                NewSpan(t, "alpha", "z-op", 0, 1, kind: SpanKind.Client),
                NewSpan(t, "alpha", "a-op", 0, 1),
                NewSpan(t, "alpha", "a-op", 1, 1),
            ],
            WriteMode.First,
            Ct);

        Assert.Equal(["alpha", "zeta"], await store.SpanReader.GetServicesAsync(Ct));
        Assert.Equal(
            [new Operation("a-op", SpanKind.Server), new Operation("z-op", SpanKind.Client)],
            await store.SpanReader.GetOperationsAsync("alpha", Ct));
        Assert.Empty(await store.SpanReader.GetOperationsAsync("nobody", Ct));
    }

    [Fact]
    public async Task FindLogs_RoundTripsEveryField()
    {
        await using var store = await CreateStoreAsync();
        var trace = NewTraceId();
        var span = NewSpanId();
        var log = NewLog("billing", 5, 17, "payment failed: 'card' \\ declined\n", trace, span) with
        {
            EventName = "payment.failed",
            Flags = 1,
            DroppedAttributesCount = 2,
        };
        var structured = NewLog("billing", 6, 9, "x") with
        {
            Body = AnyValue.OfKvList([KeyValue.Of("msg", "structured"), KeyValue.Of("n", 3L)]),
        };
        await store.LogWriter.WriteLogsAsync([log, structured], WriteMode.First, Ct);

        var logs = await store.LogReader.FindLogsAsync(LogWindow() with { Service = "billing" }, Ct);

        Assert.Equal(2, logs.Count);
        Assert.Equal(structured, logs[0]);
        Assert.Equal(log, logs[1]);
    }

    [Fact]
    public async Task FindLogs_Filters_AllHold()
    {
        await using var store = await CreateStoreAsync();
        var trace = NewTraceId();
        var logs = new List<LogRecord>
        {
            NewLog("api", 1, 9, "request served"),
            NewLog("api", 2, 17, "database timeout after 30s", trace),
            NewLog("api", 3, 13, "slow database query"),
            NewLog("db", 4, 21, "database crashed"),
            NewLog("api", 120_000, 17, "outside the window"),
        };
        await store.LogWriter.WriteLogsAsync(logs, WriteMode.First, Ct);
        var window = new LogQuery { StartUnixNano = BaseNanos, EndUnixNano = BaseNanos + 60_000_000_000 };

        async Task<IEnumerable<string>> Bodies(LogQuery q) =>
            (await store.LogReader.FindLogsAsync(q, Ct)).Select(l => l.Body.ToDisplayString());

        Assert.Equal(["slow database query", "database timeout after 30s", "request served"], await Bodies(window with { Service = "api" }));
        Assert.Equal(["database crashed", "database timeout after 30s"], await Bodies(window with { MinSeverityNumber = 17 }));
        Assert.Equal(["database crashed", "slow database query", "database timeout after 30s"], await Bodies(window with { Contains = "database" }));
        Assert.Equal(["database timeout after 30s"], await Bodies(window with { TraceId = trace }));
        Assert.Equal(["database crashed"], await Bodies(window with { Limit = 1 }));
        Assert.Empty(await Bodies(window with { Contains = "DATABASE" }));
    }

    [Fact]
    public async Task WriteSpans_LargeBatch_IsFullyReadable()
    {
        await using var store = await CreateStoreAsync();
        var traces = Enumerable.Range(0, 500).Select(_ => NewTraceId()).ToList();
        var spans = traces.SelectMany((t, i) => Enumerable.Range(0, 4).Select(j => NewSpan(t, $"svc{j}", $"op{i % 7}", i, j + 1))).ToList();

        await store.SpanWriter.WriteSpansAsync(spans, WriteMode.First, Ct);

        Assert.Equal(4, (await store.SpanReader.GetTraceAsync(traces[123], Ct)).Count);
        Assert.Equal(["svc0", "svc1", "svc2", "svc3"], await store.SpanReader.GetServicesAsync(Ct));
        var found = await store.SpanReader.FindTracesAsync(Window(limit: 1000) with { Service = "svc2" }, Ct);
        Assert.Equal(500, found.Count);
    }

    [Fact]
    public async Task GetTopOperations_ProxyServerSpans_CountsErrorsP99OrderAndLimit()
    {
        await using var store = await CreateStoreAsync();
        var t = NewTraceId();
        static KeyValue[] Inbound(long status, params KeyValue[] extra) =>
            [KeyValue.Of("mesh.direction", "inbound"), KeyValue.Of("http.response.status_code", status), .. extra];
        var spans = new List<Span>();
        for (var i = 1; i <= 100; i++)
        {
            // Failed by HTTP status alone (the span status is left unset): 10 of 100.
            spans.Add(NewSpan(t, "shop", "GET /items/{id}", i * 10, i, attributes: Inbound(i % 10 == 0 ? 503 : 200)));
        }

        spans.Add(NewSpan(t, "shop", "POST /cart", 1, 5, attributes: Inbound(200, KeyValue.Of("rpc.grpc.status_code", 14L))));
        spans.Add(NewSpan(t, "shop", "POST /cart", 2, 9, status: StatusCode.Error, attributes: Inbound(200)));
        spans.Add(NewSpan(t, "shop", "POST /cart", 3, 7, attributes: Inbound(404, KeyValue.Of("rpc.grpc.status_code", 0L))));
        for (var i = 0; i < 3; i++)
        {
            spans.Add(NewSpan(t, "shop", "GET /health", 5 + i, 1, attributes: Inbound(200)));
        }

        // Not requests served by shop in the window: the app's own server spans below its sidecar's, its outbound
        // calls, an internal span, another service's requests, and spans before the window or at its end.
        for (var i = 0; i < 50; i++)
        {
            spans.Add(NewSpan(t, "shop", "GET /items/{id}", 20 + i, 500));
        }

        spans.Add(NewSpan(t, "shop", "GET /stock", 30, 900, kind: SpanKind.Client, attributes: [KeyValue.Of("mesh.direction", "outbound")]));
        spans.Add(NewSpan(t, "shop", "render", 30, 900, kind: SpanKind.Internal));
        spans.Add(NewSpan(t, "other", "GET /items/{id}", 40, 900, attributes: Inbound(200)));
        spans.Add(NewSpan(t, "shop", "GET /items/{id}", -1, 900, attributes: Inbound(503)));
        spans.Add(NewSpan(t, "shop", "GET /late", 60_000, 900, attributes: Inbound(200)));
        await store.SpanWriter.WriteSpansAsync(spans, WriteMode.First, Ct);
        var query = new OperationStatsQuery { Service = "shop", StartUnixNano = BaseNanos, EndUnixNano = BaseNanos + 60_000_000_000 };

        var top = await store.SpanReader.GetTopOperationsAsync(query, Ct);

        Assert.Equal(
            [
                new OperationStats("GET /items/{id}", 100, 10, 99_000_000),
                new OperationStats("GET /health", 3, 0, 1_000_000),
                new OperationStats("POST /cart", 3, 2, 9_000_000),
            ],
            top);
        Assert.Equal(["GET /items/{id}", "GET /health"], (await store.SpanReader.GetTopOperationsAsync(query with { Limit = 2 }, Ct)).Select(o => o.Name));
        Assert.Empty(await store.SpanReader.GetTopOperationsAsync(query with { Service = "nobody" }, Ct));
        Assert.Empty(await store.SpanReader.GetTopOperationsAsync(query with { EndUnixNano = query.StartUnixNano }, Ct));
    }

    [Fact]
    public async Task GetTopOperations_SdkOnlyService_CountsItsServerSpans()
    {
        await using var store = await CreateStoreAsync();
        var t = NewTraceId();
        await store.SpanWriter.WriteSpansAsync(
            [
                NewSpan(t, "legacy", "GET /api/{id}", 0, 4),
                NewSpan(t, "legacy", "GET /api/{id}", 1, 2, attributes: [KeyValue.Of("http.status_code", 500L)]),
                NewSpan(t, "legacy", "GET /api/{id}", 2, 8),
                NewSpan(t, "legacy", "GET /api/{id}", 3, 6),
                NewSpan(t, "legacy", "GET /", 4, 3, kind: SpanKind.Client, status: StatusCode.Error),
                NewSpan(t, "legacy", "GET /other", -5, 3),
            ],
            WriteMode.First,
            Ct);

        var top = await store.SpanReader.GetTopOperationsAsync(
            new OperationStatsQuery { Service = "legacy", StartUnixNano = BaseNanos, EndUnixNano = BaseNanos + 1_000_000_000 },
            Ct);

        Assert.Equal([new OperationStats("GET /api/{id}", 4, 1, 8_000_000)], top);
    }

    [Fact]
    public async Task GetTopOperations_WindowLongerThanAnHour_Throws()
    {
        await using var store = await CreateStoreAsync();
        var query = new OperationStatsQuery { Service = "shop", StartUnixNano = BaseNanos, EndUnixNano = BaseNanos + OperationStatsQuery.MaxWindowNanos + 1 };
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.SpanReader.GetTopOperationsAsync(query, Ct));
    }
}
