using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Storage.ClickHouse;
using Mesh.Storage.ClickHouse.Logs;
using Mesh.Storage.ClickHouse.Spans;
using Mesh.Testing;
using Xunit;
using static Mesh.Storage.Tests.TestTelemetry;

namespace Mesh.Storage.Tests.ClickHouse;

/// <summary>
/// Replays after partial writes: a batch that reached one table and not the other, or part of a table,
/// must end up stored exactly once everywhere.
/// </summary>
[Collection(ClickHouseTestGroup.Name)]
public sealed class ClickHouseReplayTests(ClickHouseServer server)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task WriteSpans_ReplayAfterAWriteDiedBetweenTheTables_StoresEverySpanOnceInBothTables()
    {
        await using var store = await ClickHouseTestStores.CreateAsync(server);
        var traces = Enumerable.Range(0, 3).Select(_ => NewTraceId()).ToList();
        var batch = Enumerable.Range(0, 12).Select(i => NewSpan(traces[i % 3], $"svc{i % 2}", $"op{i}", i, 1)).ToList();

        // As if a First write died part-way: spans 0–7 reached the spans table (the rest of that insert was
        // lost), and the lookup insert that follows it had written spans 0–3 when the connection dropped.
        await InsertAsync(store, "insert_spans", batch[..8], () => new SpanRowEncoder());
        await InsertAsync(store, "insert_trace_index", batch[..4], () => new TraceIndexRowEncoder());

        await store.SpanWriter.WriteSpansAsync(batch, WriteMode.Replay, Ct);

        Assert.Equal(12, await ClickHouseTestStores.ScalarAsync(store, "SELECT count() FROM {spans}"));
        Assert.Equal(12, await ClickHouseTestStores.ScalarAsync(store, "SELECT uniqExact(trace_id, span_id) FROM {spans}"));
        Assert.Equal(12, await ClickHouseTestStores.ScalarAsync(store, "SELECT count() FROM {trace_index}"));
        Assert.Equal(12, await ClickHouseTestStores.ScalarAsync(store, "SELECT uniqExact(trace_id, span_id) FROM {trace_index}"));
        var found = await store.SpanReader.FindTracesAsync(Window(), Ct);
        Assert.Equal([4, 4, 4], found.Select(s => s.SpanCount));
    }

    [Fact]
    public async Task WriteSpans_ReplayWithRepeatsInsideTheBatch_StoresEachSpanOnce()
    {
        await using var store = await ClickHouseTestStores.CreateAsync(server);
        var trace = NewTraceId();
        var spans = Enumerable.Range(0, 4).Select(i => NewSpan(trace, "dup", $"op{i}", i, 1)).ToList();

        await store.SpanWriter.WriteSpansAsync([.. spans, .. spans, spans[0]], WriteMode.Replay, Ct);

        Assert.Equal(spans, await store.SpanReader.GetTraceAsync(trace, Ct));
    }

    [Fact]
    public async Task WriteSpans_ReplayOfALargeBatch_LooksUpEveryIdInOneRequest()
    {
        await using var store = await ClickHouseTestStores.CreateAsync(server);

        // 9,000 distinct trace ids: as SQL literals they would pass ClickHouse's default max_query_size (256 KiB).
        var batch = Enumerable.Range(0, 9000).Select(i => NewSpan(NewTraceId(), $"bulk{i % 3}", "op", i % 1000, 1)).ToList();
        await store.SpanWriter.WriteSpansAsync(batch[..6000], WriteMode.First, Ct);

        await store.SpanWriter.WriteSpansAsync(batch, WriteMode.Replay, Ct);

        Assert.Equal(9000, await ClickHouseTestStores.ScalarAsync(store, "SELECT count() FROM {spans}"));
        Assert.Equal(9000, await ClickHouseTestStores.ScalarAsync(store, "SELECT count() FROM {trace_index}"));
    }

    [Fact]
    public async Task WriteSpans_ReplayOfNothingNew_SendsNoInsert()
    {
        var requests = new RecordingHandler();
        await using var store = new ClickHouseTelemetryStore(
            new ClickHouseStoreOptions { Endpoint = server.HttpUrl, Database = ClickHouseServer.NewDatabaseName() },
            requests);
        await store.InitializeAsync(Ct);
        var trace = NewTraceId();
        var batch = Enumerable.Range(0, 5).Select(i => NewSpan(trace, "again", $"op{i}", i, 1)).ToList();
        await store.SpanWriter.WriteSpansAsync(batch, WriteMode.First, Ct);
        Assert.Equal(2, requests.Inserts);

        await store.SpanWriter.WriteSpansAsync(batch, WriteMode.Replay, Ct);

        Assert.Equal(2, requests.Inserts);
        Assert.Equal(5, await ClickHouseTestStores.ScalarAsync(store, "SELECT count() FROM {spans}"));
    }

    [Fact]
    public async Task WriteLogs_ReplayAfterPartialWrite_StoresEachRecordOnce()
    {
        await using var store = await ClickHouseTestStores.CreateAsync(server);
        var batch = Enumerable.Range(0, 20).Select(i => NewLog($"logs{i % 2}", i, 9, $"line {i}")).ToList();
        await InsertAsync(store, "insert_logs", batch[5..12], () => new LogRowEncoder());

        await store.LogWriter.WriteLogsAsync([.. batch, batch[0]], WriteMode.Replay, Ct);
        await store.LogWriter.WriteLogsAsync(batch, WriteMode.Replay, Ct);

        Assert.Equal(20, await ClickHouseTestStores.ScalarAsync(store, "SELECT count() FROM {logs}"));
        var logs = await store.LogReader.FindLogsAsync(
            new LogQuery { StartUnixNano = BaseNanos, EndUnixNano = BaseNanos + 60_000_000_000 },
            Ct);
        Assert.Equal(batch.AsEnumerable().Reverse(), logs);
    }

    private static TraceQuery Window() => new()
    {
        StartUnixNano = BaseNanos - 3_600_000_000_000,
        EndUnixNano = BaseNanos + 3_600_000_000_000,
    };

    private static Task InsertAsync<T>(ClickHouseTelemetryStore store, string statement, IReadOnlyList<T> rows, Func<Mesh.Storage.ClickHouse.Client.IRowEncoder<T>> encoder) =>
        store.Client.InsertAsync(ClickHouseTestStores.Tables(store).Load(statement).Render(), rows, encoder, Ct);

    /// <summary>Counts the INSERT requests a store sends (the statement travels in the URL's query parameter).</summary>
    private sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _inserts;

        public int Inserts => Volatile.Read(ref _inserts);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri?.Query.Contains("INSERT", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref _inserts);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
