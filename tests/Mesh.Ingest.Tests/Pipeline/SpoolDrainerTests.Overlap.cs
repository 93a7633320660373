using Mesh.Core.Storage;
using Mesh.Ingest.Pipeline;
using Mesh.Ingest.Spool;
using Mesh.Ingest.Tests.Spool;
using Xunit;

namespace Mesh.Ingest.Tests.Pipeline;

/// <summary>
/// The drainer's two stages: the next batch is read and converted while one is being written, yet writes and
/// commits stay one at a time and in spool order, through store failures, read failures and stops.
/// </summary>
/// <remarks>
/// Each test spools five requests of four spans and caps batches at ten items, so batch 1 is requests 1-3 (12
/// spans) and batch 2 is requests 4-5 (8 spans).
/// </remarks>
public sealed partial class SpoolDrainerTests
{
    private static readonly DrainerOptions TwoBatches = new()
    {
        MaxBatchWait = TimeSpan.Zero,
        MaxBatchItems = 10,
        WriteTimeout = Timeout.InfiniteTimeSpan,
        MinBackoff = TimeSpan.FromSeconds(1),
        MaxBackoff = TimeSpan.FromSeconds(1),
    };

    [Fact]
    public async Task Drain_WhileABatchIsBeingWritten_ReadsAndConvertsTheNext()
    {
        var (_, end) = await AppendTwoBatches();
        var firstWrite = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _store.OnWrite = _ => firstWrite.TrySetResult();
        _store.HoldWrites();

        var drainer = StartDrainer(TwoBatches, read: SignalReadAt(end, out var secondBatchConverted));

        // Strictly in turn, batch 2 would not be touched until the store let go of batch 1.
        await secondBatchConverted.WaitAsync(Eventually.Timeout());
        await firstWrite.Task.WaitAsync(Eventually.Timeout());
        Assert.Equal(12, Assert.Single(_store.Calls).Items);
        Assert.Empty(_store.Spans);
        Assert.Equal(0, _spool.CommittedPosition);

        _store.ReleaseWrites();
        await drainer.WaitForDrainAsync(Eventually.Timeout());

        Assert.Equal([(12, WriteMode.First), (8, WriteMode.First)], _store.Calls.Select(c => (c.Items, c.Mode)));
        Assert.Equal(20, _store.Spans.Select(s => (s.TraceId, s.SpanId)).Distinct().Count());
        Assert.Equal(20, _metrics.WrittenSpans);
        Assert.Equal(end, _spool.CommittedPosition);
    }

    [Fact]
    public async Task Drain_FirstAttemptOfBatchOneFailsWithBatchTwoReady_WritesAndCommitsInOrder()
    {
        var time = new ManualTimeProvider();
        var (endOfFirst, end) = await AppendTwoBatches();
        var committedAtEachWrite = new List<long>();
        _store.OnWrite = _ =>
        {
            lock (committedAtEachWrite)
            {
                committedAtEachWrite.Add(_spool.CommittedPosition);
            }
        };
        _store.FailNextWrites(1, landHalfFirst: true);

        var drainer = StartDrainer(TwoBatches, time, SignalReadAt(end, out var secondBatchConverted));
        await secondBatchConverted.WaitAsync(Eventually.Timeout());
        await Eventually.True(() => _store.FailedWrites == 1 && time.ActiveTimers == 1, "batch 1's failed write backs off");

        // Batch 2 is converted and waiting; none of it may reach the store before batch 1 is in.
        Assert.Equal([(12, WriteMode.First)], _store.Calls.Select(c => (c.Items, c.Mode)));
        Assert.Equal(0, _spool.CommittedPosition);

        time.Advance(time.ScheduledDelays[^1]);
        await drainer.WaitForDrainAsync(Eventually.Timeout());

        Assert.Equal(
            [(12, WriteMode.First), (12, WriteMode.Replay), (8, WriteMode.First)],
            _store.Calls.Select(c => (c.Items, c.Mode)));

        // Batch 1 was committed, through its end and no further, before batch 2 was written.
        Assert.Equal([0, 0, endOfFirst], committedAtEachWrite);
        Assert.Equal(end, _spool.CommittedPosition);
        Assert.Equal(20, _store.Spans.Count);
        Assert.Equal(20, _store.Spans.Select(s => (s.TraceId, s.SpanId)).Distinct().Count());
        Assert.Equal(1, _metrics.WriteRetries);
        Assert.Equal(20, _metrics.WrittenSpans);
    }

    [Fact]
    public async Task StopAsync_RetryingBatchOneWithBatchTwoFilled_StopsAndLeavesBothForReplay()
    {
        var time = new ManualTimeProvider();
        var (_, end) = await AppendTwoBatches();
        _store.FailNextWrites(int.MaxValue, landHalfFirst: false);
        var drainer = StartDrainer(TwoBatches, time, SignalReadAt(end, out var secondBatchConverted));
        await secondBatchConverted.WaitAsync(Eventually.Timeout());
        await Eventually.True(() => _store.FailedWrites == 1 && time.ActiveTimers == 1, "batch 1's failed write backs off");

        // Virtual time never moves: only the stop can end the backoff.
        await drainer.StopAsync(Eventually.Timeout());

        Assert.True(drainer.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Single(_store.Calls);
        Assert.Equal(0, _spool.CommittedPosition);
        await ReopenSpool();
        var replayed = SpoolHarness.ReadAll(_spool);
        Assert.Equal(5, replayed.Count);
        Assert.All(replayed, r => Assert.True(r.Record.Replayed));
    }

    [Fact]
    public async Task Drain_ReadFailsWhileABatchIsBeingWritten_RereadsOnlyTheBatchBeingFilled()
    {
        var time = new ManualTimeProvider();
        var (_, end) = await AppendTwoBatches();
        var start = _spool.ReadPosition;
        var readFailed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _store.HoldWrites();

        var drainer = StartDrainer(TwoBatches, time, (spool, maxRecords, maxBytes) =>
        {
            if (spool.ReadPosition != start && readFailed.TrySetResult())
            {
                // Fail batch 2's first read after it moved the read position, as a read that went half-way.
                spool.Read(maxRecords, maxBytes).Dispose();
                throw new IOException("Injected read failure.");
            }

            return spool.Read(maxRecords, maxBytes);
        });
        await readFailed.Task.WaitAsync(Eventually.Timeout());
        _store.ReleaseWrites();
        await Eventually.True(() => time.ActiveTimers == 1, "the drainer pauses after the failed read");
        time.Advance(TwoBatches.MaxBackoff);
        await drainer.WaitForDrainAsync(Eventually.Timeout());

        // Batch 1 was written once: re-reading it from an older position would write its 12 spans again, as new.
        Assert.Equal([(12, WriteMode.First), (8, WriteMode.First)], _store.Calls.Select(c => (c.Items, c.Mode)));
        Assert.Equal(20, _store.Spans.Count);
        Assert.Equal(end, _spool.CommittedPosition);
    }

    /// <summary>Appends the two batches' requests; returns where batch 1 ends and where everything ends.</summary>
    private async Task<(long EndOfFirst, long End)> AppendTwoBatches()
    {
        for (var r = 0; r < 3; r++)
        {
            await Append(SignalType.Traces, TestTelemetry.TracePayload(TestTelemetry.Spans(r, 4)));
        }

        var endOfFirst = _spool.DurableEnd;
        for (var r = 3; r < 5; r++)
        {
            await Append(SignalType.Traces, TestTelemetry.TracePayload(TestTelemetry.Spans(r, 4)));
        }

        return (endOfFirst, _spool.DurableEnd);
    }

    /// <summary>
    /// A spool read that signals when the drainer reads at <paramref name="end"/>: it looks there only after
    /// everything before has been read and converted, so the signal means the last batch is ready to write.
    /// </summary>
    private static Func<FileSpool, int, int, SpoolBatch> SignalReadAt(long end, out Task reached)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        reached = signal.Task;
        return (spool, maxRecords, maxBytes) =>
        {
            if (spool.ReadPosition == end)
            {
                signal.TrySetResult();
            }

            return spool.Read(maxRecords, maxBytes);
        };
    }
}
