using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Xunit;
using static Mesh.Storage.Tests.TestTelemetry;

namespace Mesh.Storage.Tests.Sqlite;

/// <summary>
/// The SQLite writer's trace lookup: one trace_runs entry per trace and batch over consecutive row ids, and
/// replays that store exactly what is missing.
/// </summary>
public sealed class SqliteSpanWriterTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static TraceQuery Window => new()
    {
        StartUnixNano = BaseNanos - 3_600_000_000_000,
        EndUnixNano = BaseNanos + 3_600_000_000_000,
        Limit = 1000,
    };

    /// <summary>12 spans of 3 traces, interleaved as spans of concurrent requests arrive.</summary>
    private static List<Span> InterleavedBatch(out List<TraceId> traces)
    {
        var ids = Enumerable.Range(0, 3).Select(_ => NewTraceId()).ToList();
        traces = ids;
        return Enumerable.Range(0, 12).Select(i => NewSpan(ids[i % 3], $"svc{i % 2}", $"op{i}", i, 1)).ToList();
    }

    [Fact]
    public async Task WriteSpans_InterleavedTraces_OneContiguousRunPerTrace()
    {
        await using var test = await SqliteTestStore.CreateAsync();
        var batch = InterleavedBatch(out var traces);

        await test.Store.SpanWriter.WriteSpansAsync(batch, WriteMode.First, Ct);

        Assert.Equal(3, test.Scalar("SELECT count(*) FROM trace_runs"));
        Assert.Equal(3, test.Scalar("SELECT count(*) FROM trace_runs WHERE last_rowid - first_rowid = 3"));

        // Traces in the order of their first span, each trace's spans in batch order.
        var expectedRows = traces.SelectMany(t => batch.Where(s => s.TraceId == t)).Select(s => unchecked((long)s.SpanId.Value));
        Assert.Equal(expectedRows, test.Column("SELECT span_id FROM spans ORDER BY rowid"));
        Assert.Equal(0, test.Scalar(
            "SELECT count(*) FROM trace_runs r JOIN spans s ON s.rowid BETWEEN r.first_rowid AND r.last_rowid " +
            "WHERE s.trace_id <> (SELECT trace_id FROM spans WHERE rowid = r.first_rowid)"));
        foreach (var trace in traces)
        {
            var expected = batch.Where(s => s.TraceId == trace).OrderBy(s => s.StartTimeUnixNano).ToList();
            Assert.Equal(expected, await test.Store.SpanReader.GetTraceAsync(trace, Ct));
        }
    }

    [Fact]
    public async Task WriteSpans_ReplayOfAFullyWrittenBatch_StoresNothing()
    {
        await using var test = await SqliteTestStore.CreateAsync();
        var batch = InterleavedBatch(out _);
        await test.Store.SpanWriter.WriteSpansAsync(batch, WriteMode.First, Ct);

        await test.Store.SpanWriter.WriteSpansAsync(batch, WriteMode.Replay, Ct);

        Assert.Equal(12, test.Scalar("SELECT count(*) FROM spans"));
        Assert.Equal(3, test.Scalar("SELECT count(*) FROM trace_runs"));
        Assert.Equal([4, 4, 4], (await test.Store.SpanReader.FindTracesAsync(Window, Ct)).Select(s => s.SpanCount));
    }

    [Fact]
    public async Task WriteSpans_ReplayOfAHalfWrittenBatch_StoresTheOtherHalfOnce()
    {
        await using var test = await SqliteTestStore.CreateAsync();
        var batch = InterleavedBatch(out var traces);
        await test.Store.SpanWriter.WriteSpansAsync(batch[..6], WriteMode.First, Ct);

        await test.Store.SpanWriter.WriteSpansAsync(batch, WriteMode.Replay, Ct);
        await test.Store.SpanWriter.WriteSpansAsync(batch, WriteMode.Replay, Ct);

        Assert.Equal(12, test.Scalar("SELECT count(*) FROM spans"));
        Assert.Equal(12, test.Scalar("SELECT count(*) FROM (SELECT DISTINCT trace_id, span_id FROM spans)"));

        // Each trace has a run from the first write (spans 0–5) and one from the replay that completed it.
        Assert.Equal(6, test.Scalar("SELECT count(*) FROM trace_runs"));
        foreach (var trace in traces)
        {
            var expected = batch.Where(s => s.TraceId == trace).OrderBy(s => s.StartTimeUnixNano).ToList();
            Assert.Equal(expected, await test.Store.SpanReader.GetTraceAsync(trace, Ct));
        }
    }

    [Fact]
    public async Task WriteSpans_ReplayWithRepeatsInsideTheBatch_StoresEachSpanOnce()
    {
        await using var test = await SqliteTestStore.CreateAsync();
        var trace = NewTraceId();
        var spans = Enumerable.Range(0, 4).Select(i => NewSpan(trace, "dup", $"op{i}", i, 1)).ToList();

        await test.Store.SpanWriter.WriteSpansAsync([spans[0], spans[1]], WriteMode.First, Ct);
        await test.Store.SpanWriter.WriteSpansAsync([.. spans, .. spans, spans[3]], WriteMode.Replay, Ct);

        Assert.Equal(spans, await test.Store.SpanReader.GetTraceAsync(trace, Ct));
        Assert.Equal(2, test.Scalar("SELECT count(*) FROM trace_runs"));
    }

    [Fact]
    public async Task GetTrace_TracesSharingAKey_ReturnsOnlyTheAskedTrace()
    {
        await using var test = await SqliteTestStore.CreateAsync();
        var a = new TraceId(0x8000_0000_0000_0001UL, 1);
        var b = new TraceId(0x8000_0000_0000_0001UL, 2);
        var c = new TraceId(0x7fff_ffff_ffff_ffffUL, 1);
        var first = new[] { NewSpan(b, "k", "b0", 0, 1), NewSpan(a, "k", "a0", 1, 1), NewSpan(c, "k", "c0", 2, 1), NewSpan(b, "k", "b1", 3, 1) };
        var second = new[] { NewSpan(a, "k", "a1", 4, 1), NewSpan(b, "k", "b2", 5, 1) };

        await test.Store.SpanWriter.WriteSpansAsync(first, WriteMode.First, Ct);
        await test.Store.SpanWriter.WriteSpansAsync(second, WriteMode.First, Ct);
        await test.Store.SpanWriter.WriteSpansAsync([.. first, .. second], WriteMode.Replay, Ct);

        Assert.Equal(["a0", "a1"], (await test.Store.SpanReader.GetTraceAsync(a, Ct)).Select(s => s.Name));
        Assert.Equal(["b0", "b1", "b2"], (await test.Store.SpanReader.GetTraceAsync(b, Ct)).Select(s => s.Name));
        Assert.Equal(["c0"], (await test.Store.SpanReader.GetTraceAsync(c, Ct)).Select(s => s.Name));
        Assert.Equal(unchecked((long)0x8000_0000_0000_0001UL), test.Scalar("SELECT min(trace_key) FROM trace_runs"));
        var summaries = await test.Store.SpanReader.FindTracesAsync(Window with { Service = "k" }, Ct);
        Assert.Equal([b, a, c], summaries.Select(s => s.TraceId));
        Assert.Equal([3, 2, 1], summaries.Select(s => s.SpanCount));
    }
}
