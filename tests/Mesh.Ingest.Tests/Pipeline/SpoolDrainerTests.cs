using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Ingest.Pipeline;
using Mesh.Ingest.Spool;
using Mesh.Ingest.Tests.Spool;
using Mesh.Otlp.Conversion;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Mesh.Ingest.Tests.Pipeline;

public sealed partial class SpoolDrainerTests : IAsyncLifetime
{
    private static readonly DrainerOptions Immediate = new() { MaxBatchWait = TimeSpan.Zero };

    private readonly TempDirectory _dir = new();
    private readonly IngestMetrics _metrics = new();
    private readonly FakeTelemetryStore _store = new();
    private readonly List<SpoolDrainer> _drainers = [];
    private FileSpool _spool = null!;

    public Task InitializeAsync()
    {
        _spool = SpoolHarness.Open(_dir.Path, _metrics);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var drainer in _drainers)
        {
            await drainer.StopAsync(CancellationToken.None);
            drainer.Dispose();
        }

        await _spool.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Drain_TracesAndLogs_WritesEveryItemOnceInFirstMode()
    {
        var spans = new List<Span>();
        var logCount = 0;
        for (var r = 0; r < 5; r++)
        {
            var batch = TestTelemetry.Spans(r, 10);
            spans.AddRange(batch);
            await Append(SignalType.Traces, TestTelemetry.TracePayload(batch));
            if (r % 2 == 0)
            {
                await Append(SignalType.Logs, TestTelemetry.LogPayload(TestTelemetry.Logs(r, 4)));
                logCount += 4;
            }
        }

        await StartDrainer(Immediate).WaitForDrainAsync(Eventually.Timeout());

        Assert.Equal(spans.OrderBy(s => s.SpanId.Value), _store.Spans.OrderBy(s => s.SpanId.Value));
        Assert.Equal(logCount, _store.Logs.Count);
        Assert.Equal(logCount, _store.Logs.Select(l => l.LogId).Distinct().Count());
        Assert.All(_store.Calls, c => Assert.Equal(WriteMode.First, c.Mode));
        Assert.Equal(50, _metrics.WrittenSpans);
        Assert.Equal(logCount, _metrics.WrittenLogs);
        Assert.Equal(0, _spool.UndrainedBytes);
        Assert.Equal(0, _metrics.SpooledBytes);
    }

    [Fact]
    public async Task Drain_AfterReopen_WritesReplayedRecordsAsReplayWithStableLogIds()
    {
        await Append(SignalType.Logs, TestTelemetry.LogPayload(TestTelemetry.Logs(0, 3)));
        await Append(SignalType.Traces, TestTelemetry.TracePayload(TestTelemetry.Spans(1, 5)));
        await Append(SignalType.Logs, TestTelemetry.LogPayload(TestTelemetry.Logs(2, 2)));
        var logRecordIds = SpoolHarness.ReadAll(_spool).Where(r => r.Record.Type == SignalType.Logs).Select(r => r.Record.Id).ToList();
        var expectedLogIds = new[] { (logRecordIds[0], 3), (logRecordIds[1], 2) }
            .SelectMany(x => Enumerable.Range(0, x.Item2).Select(i => LogIds.For(x.Item1, (ulong)i)))
            .Order();
        await ReopenSpool();

        var drainer = StartDrainer(Immediate);
        await drainer.WaitForDrainAsync(Eventually.Timeout());

        Assert.NotEmpty(_store.Calls);
        Assert.All(_store.Calls, c => Assert.Equal(WriteMode.Replay, c.Mode));
        Assert.Equal(expectedLogIds, _store.Logs.Select(l => l.LogId).Order());
        Assert.Equal(5, _store.Spans.Count);

        // Records appended after the reopen were never offered to the store: the fast path again.
        var callsBefore = _store.Calls.Count;
        await Append(SignalType.Traces, TestTelemetry.TracePayload(TestTelemetry.Spans(3, 2)));
        await drainer.WaitForDrainAsync(Eventually.Timeout());

        Assert.Equal(WriteMode.First, Assert.Single(_store.Calls.Skip(callsBefore)).Mode);
        Assert.Equal(7, _store.Spans.Count);
    }

    [Fact]
    public async Task Drain_StoreDownForThreeAttempts_RetriesWithBackoffAndWritesEverythingExactlyOnce()
    {
        var time = new ManualTimeProvider();
        var options = new DrainerOptions
        {
            MaxBatchWait = TimeSpan.Zero,
            WriteTimeout = Timeout.InfiniteTimeSpan,
            MinBackoff = TimeSpan.FromSeconds(1),
            MaxBackoff = TimeSpan.FromSeconds(30),
        };
        for (var r = 0; r < 4; r++)
        {
            await Append(SignalType.Traces, TestTelemetry.TracePayload(TestTelemetry.Spans(r, 10)));
        }

        await Append(SignalType.Logs, TestTelemetry.LogPayload(TestTelemetry.Logs(9, 6)));

        // Each failed write lands half its spans first, as a timed-out write may: a retry that is not a replay duplicates them.
        _store.FailNextWrites(3, landHalfFirst: true);
        var drainer = StartDrainer(options, time);
        for (var failure = 1; failure <= 3; failure++)
        {
            var expected = failure;
            await Eventually.True(() => _store.FailedWrites == expected && time.ActiveTimers == 1, $"failure {expected} backs off");
            Assert.Empty(_store.Logs);

            // Exactly the pause asked for: more would also fire the next backoff, which the continuation schedules inline.
            time.Advance(time.ScheduledDelays[^1]);
        }

        await drainer.WaitForDrainAsync(Eventually.Timeout());

        Assert.Equal(40, _store.Spans.Count);
        Assert.Equal(40, _store.Spans.Select(s => (s.TraceId, s.SpanId)).Distinct().Count());
        Assert.Equal(6, _store.Logs.Count);
        Assert.Equal(3, _metrics.WriteRetries);
        Assert.Equal(WriteMode.First, _store.Calls[0].Mode);
        Assert.All(_store.Calls.Skip(1), c => Assert.Equal(WriteMode.Replay, c.Mode));
        Assert.Equal(["spans", "spans", "spans", "spans", "logs"], _store.Calls.Select(c => c.Kind));

        // Backoff doubles from MinBackoff, each pause jittered into [½, 1] of its step.
        var delays = time.ScheduledDelays;
        Assert.Equal(3, delays.Count);
        for (var i = 0; i < 3; i++)
        {
            var step = TimeSpan.FromSeconds(Math.Pow(2, i));
            Assert.InRange(delays[i], step / 2, step);
        }
    }

    [Fact]
    public async Task Drain_LogsFailAfterSpansLanded_RetriesOnlyTheLogsAsReplay()
    {
        var time = new ManualTimeProvider();
        await Append(SignalType.Traces, TestTelemetry.TracePayload(TestTelemetry.Spans(0, 3)));
        await Append(SignalType.Logs, TestTelemetry.LogPayload(TestTelemetry.Logs(1, 4)));
        _store.FailNextWrites(1, landHalfFirst: true, kind: "logs");

        var drainer = StartDrainer(Immediate with { WriteTimeout = Timeout.InfiniteTimeSpan }, time);
        await Eventually.True(() => _store.FailedWrites == 1 && time.ActiveTimers == 1, "the failed log write backs off");
        time.Advance(new DrainerOptions().MaxBackoff);
        await drainer.WaitForDrainAsync(Eventually.Timeout());

        Assert.Equal(
            [("spans", WriteMode.First), ("logs", WriteMode.First), ("logs", WriteMode.Replay)],
            _store.Calls.Select(c => (c.Kind, c.Mode)));
        Assert.Equal(3, _store.Spans.Count);
        Assert.Equal(4, _store.Logs.Count);
        Assert.Equal(4, _store.Logs.Select(l => l.LogId).Distinct().Count());
        Assert.Equal(1, _metrics.WriteRetries);
    }

    [Fact]
    public async Task Drain_WriteTimesOut_AbandonsItAndRetriesAsReplay()
    {
        var time = new ManualTimeProvider();
        var options = new DrainerOptions
        {
            MaxBatchWait = TimeSpan.Zero,
            WriteTimeout = TimeSpan.FromSeconds(5),
            MinBackoff = TimeSpan.FromSeconds(1),
            MaxBackoff = TimeSpan.FromSeconds(1),
        };
        await Append(SignalType.Traces, TestTelemetry.TracePayload(TestTelemetry.Spans(0, 4)));
        _store.HangNextWrites(1);

        var drainer = StartDrainer(options, time);
        await Eventually.True(() => _store.Calls.Count == 1 && time.ActiveTimers == 1, "the write hangs under its timeout");
        time.Advance(options.WriteTimeout);
        await Eventually.True(() => _metrics.WriteRetries == 1 && time.ActiveTimers == 1, "the timed-out write backs off");
        time.Advance(options.MaxBackoff);
        await drainer.WaitForDrainAsync(Eventually.Timeout());

        Assert.Equal([WriteMode.First, WriteMode.Replay], _store.Calls.Select(c => c.Mode));
        Assert.Equal(4, _store.Spans.Count);
    }

    [Fact]
    public async Task Drain_UnparseablePayload_IsSkippedCountedAndCommitted()
    {
        await Append(SignalType.Traces, TestTelemetry.TracePayload(TestTelemetry.Spans(0, 2)));

        // A length-delimited field whose length runs past the end: a truncated message.
        await Append(SignalType.Traces, [0x0A, 0xFF, 0x01]);
        await Append(SignalType.Logs, TestTelemetry.LogPayload(TestTelemetry.Logs(1, 2)));

        await StartDrainer(Immediate).WaitForDrainAsync(Eventually.Timeout());

        Assert.Equal(2, _store.Spans.Count);
        Assert.Equal(2, _store.Logs.Count);
        Assert.Equal(1, _metrics.DrainSkippedRecords);
        Assert.Equal(0, _spool.UndrainedBytes);
    }

    [Fact]
    public async Task Drain_ManySegments_DeletesTheDrainedOnes()
    {
        await ReopenSpool(o => o with { SegmentBytes = 4096 });
        for (var r = 0; r < 20; r++)
        {
            await Append(SignalType.Traces, TestTelemetry.TracePayload(TestTelemetry.Spans(r, 8)));
        }

        Assert.True(_dir.SegmentFiles().Length > 2, "the test needs several segments");

        await StartDrainer(Immediate).WaitForDrainAsync(Eventually.Timeout());

        Assert.Equal(160, _store.Spans.Count);
        Assert.Single(_dir.SegmentFiles());
    }

    [Fact]
    public async Task Drain_ItemLimit_SplitsBatchesAtRequestBoundaries()
    {
        for (var r = 0; r < 5; r++)
        {
            await Append(SignalType.Traces, TestTelemetry.TracePayload(TestTelemetry.Spans(r, 4)));
        }

        await StartDrainer(Immediate with { MaxBatchItems = 10 }).WaitForDrainAsync(Eventually.Timeout());

        // No record is added once a batch holds 10 items: 4 + 4 + 4, then the remaining 4 + 4.
        Assert.Equal([12, 8], _store.Calls.Select(c => c.Items));
        Assert.Equal(20, _store.Spans.Select(s => s.SpanId).Distinct().Count());
    }

    [Fact]
    public async Task Drain_StoreTakingOtlpBytes_GetsTraceRequestsAsSpooled()
    {
        for (var r = 0; r < 3; r++)
        {
            await Append(SignalType.Traces, TestTelemetry.TracePayload(TestTelemetry.Spans(r, 4)));
        }

        await StartDrainer(Immediate).WaitForDrainAsync(Eventually.Timeout());

        Assert.True(_store.OtlpWrites > 0);
        Assert.Equal(12, _store.Spans.Select(s => s.SpanId).Distinct().Count());
        Assert.Equal(12, _metrics.WrittenSpans);
    }

    [Fact]
    public async Task Drain_WriteOtlpBytesOff_ConvertsToTheModelFirst()
    {
        for (var r = 0; r < 5; r++)
        {
            await Append(SignalType.Traces, TestTelemetry.TracePayload(TestTelemetry.Spans(r, 4)));
        }

        await StartDrainer(Immediate with { MaxBatchItems = 10, WriteOtlpBytes = false }).WaitForDrainAsync(Eventually.Timeout());

        Assert.Equal(0, _store.OtlpWrites);
        Assert.Equal([12, 8], _store.Calls.Select(c => c.Items));
        Assert.Equal(20, _store.Spans.Select(s => s.SpanId).Distinct().Count());
    }

    [Fact]
    public async Task Drain_PartialBatch_WaitsUpToMaxBatchWaitForMoreThenWritesOnce()
    {
        var time = new ManualTimeProvider();
        var options = new DrainerOptions { MaxBatchWait = TimeSpan.FromMilliseconds(200), WriteTimeout = Timeout.InfiniteTimeSpan };
        await Append(SignalType.Traces, TestTelemetry.TracePayload(TestTelemetry.Spans(0, 1)));
        var drainer = StartDrainer(options, time);
        await Eventually.True(() => _spool.ReadPosition == _spool.DurableEnd && time.ActiveTimers == 1, "the drainer lingers for more");

        await Append(SignalType.Traces, TestTelemetry.TracePayload(TestTelemetry.Spans(1, 1)));
        await Eventually.True(() => _spool.ReadPosition == _spool.DurableEnd && time.ActiveTimers == 1, "the drainer takes the second record and lingers on");
        Assert.Empty(_store.Calls);

        time.Advance(options.MaxBatchWait);
        await drainer.WaitForDrainAsync(Eventually.Timeout());

        Assert.Equal(2, Assert.Single(_store.Calls).Items);
    }

    [Fact]
    public async Task StopAsync_DuringOutage_StopsAndLeavesRecordsForReplay()
    {
        var time = new ManualTimeProvider();
        await Append(SignalType.Traces, TestTelemetry.TracePayload(TestTelemetry.Spans(0, 3)));
        _store.FailNextWrites(int.MaxValue, landHalfFirst: false);
        var drainer = StartDrainer(Immediate with { WriteTimeout = Timeout.InfiniteTimeSpan }, time);
        await Eventually.True(() => _store.FailedWrites == 1 && time.ActiveTimers == 1, "the drainer backs off");

        await drainer.StopAsync(Eventually.Timeout());

        Assert.True(drainer.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Equal(0, _spool.CommittedPosition);
        await ReopenSpool();
        var replayed = Assert.Single(SpoolHarness.ReadAll(_spool));
        Assert.True(replayed.Record.Replayed);
    }

    [Fact]
    public async Task WaitForDrainAsync_NothingAppended_CompletesAtOnce()
    {
        var drainer = StartDrainer(Immediate);

        await drainer.WaitForDrainAsync(Eventually.Timeout());

        Assert.Empty(_store.Calls);
    }

    [Fact]
    public async Task Drain_ConcurrentAppenders_WritesEverySpanExactlyOnce()
    {
        const int Appenders = 4;
        const int Requests = 50;
        const int SpansPerRequest = 50;
        var drainer = StartDrainer(new DrainerOptions { MaxBatchWait = TimeSpan.FromMilliseconds(5), MaxBatchItems = 1000 });

        await Task.WhenAll(Enumerable.Range(0, Appenders).Select(a => Task.Run(async () =>
        {
            for (var r = 0; r < Requests; r++)
            {
                await Append(SignalType.Traces, TestTelemetry.TracePayload(TestTelemetry.Spans((a * Requests) + r, SpansPerRequest)));
            }
        })));
        await drainer.WaitForDrainAsync(Eventually.Timeout());

        Assert.Equal(Appenders * Requests * SpansPerRequest, _store.Spans.Count);
        Assert.Equal(_store.Spans.Count, _store.Spans.Select(s => (s.TraceId, s.SpanId)).Distinct().Count());
        Assert.All(_store.Calls, c => Assert.InRange(c.Items, 1, 1000 + SpansPerRequest - 1));
        Assert.Equal(0, _spool.UndrainedBytes);
    }

    private async Task Append(SignalType type, byte[] payload)
    {
        var result = await _spool.AppendAsync(type, payload, CancellationToken.None);
        Assert.True(result.Accepted);
    }

    private async Task ReopenSpool(Func<SpoolOptions, SpoolOptions>? configure = null)
    {
        await _spool.DisposeAsync();
        _spool = SpoolHarness.Open(_dir.Path, _metrics, configure);
    }

    private SpoolDrainer StartDrainer(DrainerOptions options, TimeProvider? time = null, Func<FileSpool, int, int, SpoolBatch>? read = null)
    {
        var drainer = new SpoolDrainer(_spool, _store, _metrics, options, NullLogger<SpoolDrainer>.Instance, time ?? TimeProvider.System)
        {
            ReadSpool = read ?? ((spool, maxRecords, maxBytes) => spool.Read(maxRecords, maxBytes)),
        };
        _drainers.Add(drainer);

        // BackgroundService runs ExecuteAsync in the background, so starting completes at once.
        Assert.True(drainer.StartAsync(CancellationToken.None).IsCompletedSuccessfully);
        return drainer;
    }
}
