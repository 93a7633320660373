using Mesh.Ingest.Pipeline;
using Mesh.Ingest.Spool;
using Xunit;

namespace Mesh.Ingest.Tests.Spool;

public sealed class FileSpoolTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly IngestMetrics _metrics = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AppendAsync_ThenRead_ReturnsRecordsInOrderNotReplayed()
    {
        await using var spool = SpoolHarness.Open(_dir.Path, _metrics);
        Assert.True((await spool.AppendAsync(SignalType.Traces, SpoolHarness.Payload("one"), CancellationToken.None)).Accepted);
        Assert.True((await spool.AppendAsync(SignalType.Logs, SpoolHarness.Payload("two"), CancellationToken.None)).Accepted);

        var records = SpoolHarness.ReadAll(spool);

        Assert.Equal(["one", "two"], records.Select(r => r.Payload));
        Assert.Equal([SignalType.Traces, SignalType.Logs], records.Select(r => r.Record.Type));
        Assert.All(records, r => Assert.False(r.Record.Replayed));
        Assert.NotEqual(records[0].Record.Id, records[1].Record.Id);
        Assert.Equal(2, _metrics.SpoolRecords);
    }

    [Fact]
    public async Task Open_NewDirectories_StartFromDifferentRecordIds()
    {
        using var other = new TempDirectory();
        ulong first;
        await using (var spool = SpoolHarness.Open(_dir.Path, _metrics))
        {
            await SpoolHarness.AppendAllAsync(spool, "a");
            first = SpoolHarness.ReadAll(spool)[0].Record.Id;
        }

        await using var second = SpoolHarness.Open(other.Path, new IngestMetrics());
        await SpoolHarness.AppendAllAsync(second, "a");

        // A wiped spool directory must not hand out the ids the store has already seen (logs dedup on them).
        Assert.NotEqual(first, SpoolHarness.ReadAll(second)[0].Record.Id);
    }

    [Fact]
    public async Task AppendAsync_ManyConcurrent_ShareFewFsyncs()
    {
        const int Appends = 200;
        await using (var spool = SpoolHarness.Open(_dir.Path, _metrics))
        {
            var appends = Enumerable.Range(0, Appends)
                .Select(i => Task.Run(() => spool.AppendAsync(SignalType.Traces, SpoolHarness.Payload($"record {i}"), CancellationToken.None).AsTask()))
                .ToList();
            var results = await Task.WhenAll(appends).WaitAsync(Eventually.Deadline);

            Assert.All(results, r => Assert.True(r.Accepted));
        }

        Assert.Equal(Appends, _metrics.SpoolRecords);
        Assert.InRange(_metrics.SpoolFsyncs, 1, Appends / 10);

        await using var reopened = SpoolHarness.Open(_dir.Path, new IngestMetrics());
        var payloads = SpoolHarness.ReadAll(reopened).Select(r => r.Payload).ToHashSet();
        Assert.Equal(Enumerable.Range(0, Appends).Select(i => $"record {i}").ToHashSet(), payloads);
    }

    [Fact]
    public async Task AppendAsync_ConcurrentWithReaderAcrossSegments_ReadsEveryRecordOnceInIdOrder()
    {
        const int Writers = 4;
        const int PerWriter = 250;
        await using var spool = SpoolHarness.Open(_dir.Path, _metrics, o => o with { SegmentBytes = 4096 });
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                var payload = SpoolHarness.Payload($"{w}:{i}:" + new string('x', i % 50));
                Assert.True((await spool.AppendAsync(SignalType.Traces, payload, CancellationToken.None)).Accepted);
            }
        })).ToList();

        var seen = new List<(SpoolRecord Record, string Payload)>();
        var allWritten = Task.WhenAll(writers);
        while (!allWritten.IsCompleted || spool.HasUnread)
        {
            var batch = SpoolHarness.ReadAll(spool, maxRecords: 7, maxBytes: 900);
            seen.AddRange(batch);
            if (batch.Count > 0)
            {
                spool.Commit(spool.ReadPosition);
            }

            await Task.Yield();
        }

        await allWritten;
        Assert.Equal(Writers * PerWriter, seen.Count);
        Assert.Equal(Writers * PerWriter, seen.Select(r => r.Payload).Distinct().Count());
        Assert.Equal(seen.Select(r => r.Record.Id).Order(), seen.Select(r => r.Record.Id));
        for (var w = 0; w < Writers; w++)
        {
            // Appends of one writer were sequential, so they must come back in the order they were made.
            var mine = seen.Select(r => r.Payload).Where(p => p.StartsWith($"{w}:", StringComparison.Ordinal)).Select(p => int.Parse(p.Split(':')[1]));
            Assert.Equal(Enumerable.Range(0, PerWriter), mine);
        }

        Assert.Single(_dir.SegmentFiles());
        Assert.Equal(0, spool.UndrainedBytes);
    }

    [Fact]
    public async Task AppendAsync_OverMaxBytes_ReturnsFullWithoutWritingAndAcceptsAgainAfterDrain()
    {
        var payload = new byte[1000];
        var recordSize = RecordFormat.HeaderSize + payload.Length;
        await using var spool = SpoolHarness.Open(_dir.Path, _metrics, o => o with { MaxBytes = 4 * recordSize, SegmentBytes = 4096 });
        for (var i = 0; i < 4; i++)
        {
            Assert.True((await spool.AppendAsync(SignalType.Traces, payload, CancellationToken.None)).Accepted);
        }

        var durableBefore = spool.DurableEnd;

        var full = await spool.AppendAsync(SignalType.Traces, payload, CancellationToken.None);

        Assert.False(full.Accepted);
        Assert.InRange(full.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        Assert.Equal(durableBefore, spool.DurableEnd);
        Assert.Equal(4, _metrics.SpoolRecords);
        Assert.Equal(4 * recordSize, spool.UndrainedBytes);
        Assert.Equal(4 * recordSize, _metrics.SpooledBytes);

        using (var batch = spool.Read(maxRecords: 2, maxBytes: 1 << 20))
        {
            Assert.Equal(2, batch.Records.Count);
            spool.Commit(batch.EndPosition);
        }

        Assert.Equal(2 * recordSize, _metrics.SpooledBytes);
        Assert.True((await spool.AppendAsync(SignalType.Traces, payload, CancellationToken.None)).Accepted);
        Assert.Equal(3 * recordSize, spool.UndrainedBytes);
    }

    [Fact]
    public async Task Commit_DrainedSegments_AreDeletedExceptTheOneBeingWritten()
    {
        var payload = new byte[1000];
        await using (var spool = SpoolHarness.Open(_dir.Path, _metrics, o => o with { SegmentBytes = 4096 }))
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.True((await spool.AppendAsync(SignalType.Traces, payload, CancellationToken.None)).Accepted);
            }

            Assert.Equal(
                ["00000000000000000000.seg", "00000000000000004096.seg", "00000000000000008192.seg"],
                _dir.SegmentFiles().Select(Path.GetFileName));

            var records = SpoolHarness.ReadAll(spool);
            Assert.Equal(10, records.Count);

            // Part-way: only the first segment is wholly drained.
            spool.Commit(records[5].Record.Position);
            Assert.Equal(2, _dir.SegmentFiles().Length);

            spool.Commit(spool.ReadPosition);
            Assert.Equal(["00000000000000008192.seg"], _dir.SegmentFiles().Select(Path.GetFileName));
        }

        await using var reopened = SpoolHarness.Open(_dir.Path, _metrics, o => o with { SegmentBytes = 4096 });
        Assert.Empty(SpoolHarness.ReadAll(reopened));
        Assert.True((await reopened.AppendAsync(SignalType.Traces, payload, CancellationToken.None)).Accepted);
        Assert.Single(SpoolHarness.ReadAll(reopened));
    }

    [Fact]
    public async Task Read_RespectsRecordAndByteLimitsButReturnsAnOversizedRecordAlone()
    {
        await using var spool = SpoolHarness.Open(_dir.Path, _metrics);
        await SpoolHarness.AppendAllAsync(spool, "a", "b", "c", new string('z', 5000), "d");

        using (var byCount = spool.Read(maxRecords: 2, maxBytes: 1 << 20))
        {
            Assert.Equal(2, byCount.Records.Count);
        }

        using (var byBytes = spool.Read(maxRecords: 100, maxBytes: 100))
        {
            Assert.Single(byBytes.Records);
            Assert.Equal("c"u8.ToArray(), byBytes.Records[0].Payload.ToArray());
        }

        using (var oversized = spool.Read(maxRecords: 100, maxBytes: 100))
        {
            Assert.Equal(5000, Assert.Single(oversized.Records).Payload.Length);
        }

        using var last = spool.Read(maxRecords: 100, maxBytes: 100);
        Assert.Equal("d"u8.ToArray(), Assert.Single(last.Records).Payload.ToArray());
    }

    [Fact]
    public async Task Rewind_ReturnsTheSameRecordsAgain()
    {
        await using var spool = SpoolHarness.Open(_dir.Path, _metrics);
        await SpoolHarness.AppendAllAsync(spool, "a", "b");
        var first = SpoolHarness.ReadAll(spool);

        spool.Rewind(first[1].Record.Position);

        Assert.Equal(["b"], SpoolHarness.ReadAll(spool).Select(r => r.Payload));
        Assert.Throws<ArgumentOutOfRangeException>(() => spool.Rewind(spool.ReadPosition + 1));
    }

    [Fact]
    public async Task DisposeAsync_WithAppendsInFlight_CompletesThemAndRefusesLaterOnes()
    {
        const int Appends = 100;
        var spool = SpoolHarness.Open(_dir.Path, _metrics);
        var appends = Enumerable.Range(0, Appends)
            .Select(i => spool.AppendAsync(SignalType.Traces, SpoolHarness.Payload($"r{i}"), CancellationToken.None).AsTask())
            .ToList();

        await spool.DisposeAsync().AsTask().WaitAsync(Eventually.Deadline);
        var results = await Task.WhenAll(appends).WaitAsync(Eventually.Deadline);

        Assert.All(results, r => Assert.True(r.Accepted));
        await Assert.ThrowsAsync<ObjectDisposedException>(
            async () => await spool.AppendAsync(SignalType.Traces, SpoolHarness.Payload("late"), CancellationToken.None));
        await spool.DisposeAsync();

        await using var reopened = SpoolHarness.Open(_dir.Path, new IngestMetrics());
        Assert.Equal(Appends, SpoolHarness.ReadAll(reopened).Count);
    }

    [Fact]
    public async Task WaitForCommittedAsync_CompletesOnlyOnceCommitReachesThePosition()
    {
        await using var spool = SpoolHarness.Open(_dir.Path, _metrics);
        await SpoolHarness.AppendAllAsync(spool, "a", "b");
        var records = SpoolHarness.ReadAll(spool);
        var wait = spool.WaitForCommittedAsync(spool.DurableEnd, Eventually.Timeout());

        spool.Commit(records[1].Record.Position);
        Assert.False(wait.IsCompleted);

        spool.Commit(spool.ReadPosition);
        await wait.WaitAsync(Eventually.Deadline);
    }

    [Fact]
    public async Task Open_DirectoryAlreadyInUse_ThrowsUntilTheFirstSpoolIsDisposed()
    {
        var first = SpoolHarness.Open(_dir.Path, _metrics);

        var error = Assert.Throws<IOException>(() => SpoolHarness.Open(_dir.Path, _metrics));
        Assert.Contains("in use", error.Message, StringComparison.Ordinal);

        await first.DisposeAsync();
        await using var second = SpoolHarness.Open(_dir.Path, _metrics);
        await SpoolHarness.AppendAllAsync(second, "a");
    }

    [Fact]
    public void Open_InvalidOptions_ThrowsNamingTheSetting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => SpoolHarness.Open(_dir.Path, _metrics, o => o with { SegmentBytes = 10 }));

        Assert.Equal("SegmentBytes", error.ParamName);
    }
}
