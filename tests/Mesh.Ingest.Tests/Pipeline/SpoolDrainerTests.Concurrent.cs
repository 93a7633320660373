using Mesh.Core.Storage;
using Mesh.Ingest.Pipeline;
using Mesh.Ingest.Spool;
using Mesh.Ingest.Tests.Spool;
using Xunit;

namespace Mesh.Ingest.Tests.Pipeline;

/// <summary>
/// Two writes in flight (<see cref="DrainerOptions.MaxWritesInFlight"/>, as into ClickHouse): both batches are in the
/// store's hands at once, yet commits follow spool order: a later batch that lands first waits for the earlier one.
/// </summary>
/// <remarks>The same five requests of four spans as the overlap tests: batch 1 is 12 spans, batch 2 is 8.</remarks>
public sealed partial class SpoolDrainerTests
{
    /// <summary>The overlap tests' options with a second write slot (a property: static fields of partial files initialise in no set order).</summary>
    private static DrainerOptions TwoWrites => TwoBatches with { MaxWritesInFlight = 2 };

    [Fact]
    public async Task Drain_TwoWritesInFlight_BothReachTheStoreBeforeEitherFinishes()
    {
        var (_, end) = await AppendTwoBatches();
        _store.HoldWrites();

        var drainer = StartDrainer(TwoWrites);

        // One at a time, batch 2 would not reach the store while batch 1 is held.
        await Eventually.True(() => _store.Calls.Count == 2, "both batches are handed to the store");
        // Started in spool order, they race to the store: either may arrive first.
        Assert.Equal([(12, WriteMode.First), (8, WriteMode.First)], _store.Calls.Select(c => (c.Items, c.Mode)).OrderByDescending(c => c.Items));
        Assert.Equal(0, _spool.CommittedPosition);

        _store.ReleaseWrites();
        await drainer.WaitForDrainAsync(Eventually.Timeout());

        Assert.Equal(20, _store.Spans.Count);
        Assert.Equal(20, _store.Spans.Select(s => (s.TraceId, s.SpanId)).Distinct().Count());
        Assert.Equal(20, _metrics.WrittenSpans);
        Assert.Equal(end, _spool.CommittedPosition);
    }

    [Fact]
    public async Task Drain_TwoWritesInFlightAndTheFirstFails_CommitsNothingUntilTheFirstIsIn()
    {
        var time = new ManualTimeProvider();
        var (_, end) = await AppendTwoBatches();
        var batchOneAttempts = 0;
        _store.OnWrite = call =>
        {
            // Batch 1's first attempt fails before storing anything; batch 2 goes through at once.
            if (call.Items == 12 && Interlocked.Increment(ref batchOneAttempts) == 1)
            {
                throw new StoreUnavailableException("Injected failure of batch 1.");
            }
        };

        var drainer = StartDrainer(TwoWrites, time);
        await Eventually.True(() => _store.Spans.Count == 8 && time.ActiveTimers == 1, "batch 2 is stored while batch 1 backs off");

        // Give a wrong commit every chance to happen: batch 2 is in, but batch 1, before it in the spool, is not.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal(0, _spool.CommittedPosition);

        time.Advance(time.ScheduledDelays[^1]);
        await drainer.WaitForDrainAsync(Eventually.Timeout());

        Assert.Equal(
            [(12, WriteMode.First), (8, WriteMode.First), (12, WriteMode.Replay)],
            _store.Calls.Select(c => (c.Items, c.Mode)).OrderBy(c => c.Mode).ThenByDescending(c => c.Items));
        Assert.Equal(20, _store.Spans.Count);
        Assert.Equal(20, _store.Spans.Select(s => (s.TraceId, s.SpanId)).Distinct().Count());
        Assert.Equal(1, _metrics.WriteRetries);
        Assert.Equal(end, _spool.CommittedPosition);
    }

    [Fact]
    public async Task StopAsync_FirstOfTwoWritesRetryingAndTheSecondStored_LeavesBothForReplay()
    {
        var time = new ManualTimeProvider();
        _ = await AppendTwoBatches();
        _store.OnWrite = call =>
        {
            if (call.Items == 12)
            {
                throw new StoreUnavailableException("Batch 1 never lands.");
            }
        };

        var drainer = StartDrainer(TwoWrites, time);
        await Eventually.True(() => _store.Spans.Count == 8 && time.ActiveTimers == 1, "batch 2 is stored while batch 1 backs off");
        await drainer.StopAsync(Eventually.Timeout());

        Assert.True(drainer.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Equal(0, _spool.CommittedPosition);
        await ReopenSpool();
        var replayed = SpoolHarness.ReadAll(_spool);
        Assert.Equal(5, replayed.Count);
        Assert.All(replayed, r => Assert.True(r.Record.Replayed));
    }

    [Fact]
    public void Options_NoWritesInFlight_AreRefused()
    {
        var options = new DrainerOptions { MaxWritesInFlight = 0 };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SpoolDrainer(_spool, _store, _metrics, options, Microsoft.Extensions.Logging.Abstractions.NullLogger<SpoolDrainer>.Instance, TimeProvider.System));
        Assert.Equal("MaxWritesInFlight", error.ParamName);
    }
}
