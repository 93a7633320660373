using Mesh.Ingest.Pipeline;
using Mesh.Ingest.Spool;
using Xunit;

namespace Mesh.Ingest.Tests.Spool;

/// <summary>What a reopened spool recovers: replay without commit, none after commit, torn tails cut, damage skipped.</summary>
public sealed class FileSpoolRecoveryTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly IngestMetrics _metrics = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Reopen_WithoutCommit_ReplaysEveryRecordWithTheSameIds()
    {
        List<(SpoolRecord Record, string Payload)> before;
        await using (var spool = SpoolHarness.Open(_dir.Path, _metrics))
        {
            await SpoolHarness.AppendAllAsync(spool, "a", "b", "c");
            before = SpoolHarness.ReadAll(spool);
        }

        await using var reopened = SpoolHarness.Open(_dir.Path, new IngestMetrics());
        var after = SpoolHarness.ReadAll(reopened);

        Assert.Equal(["a", "b", "c"], after.Select(r => r.Payload));
        Assert.All(after, r => Assert.True(r.Record.Replayed));
        Assert.Equal(before.Select(r => r.Record.Id), after.Select(r => r.Record.Id));
        Assert.Equal(before.Select(r => r.Record.Position), after.Select(r => r.Record.Position));
    }

    [Fact]
    public async Task Reopen_AfterCommitOfEverything_ReplaysNothing()
    {
        await using (var spool = SpoolHarness.Open(_dir.Path, _metrics))
        {
            await SpoolHarness.AppendAllAsync(spool, "a", "b", "c");
            Assert.Equal(3, SpoolHarness.ReadAll(spool).Count);
            spool.Commit(spool.ReadPosition);
            Assert.Equal(0, spool.UndrainedBytes);
        }

        await using var reopened = SpoolHarness.Open(_dir.Path, _metrics);

        Assert.Empty(SpoolHarness.ReadAll(reopened));
        Assert.Equal(0, reopened.UndrainedBytes);
        Assert.Equal(0, _metrics.SpooledBytes);
    }

    [Fact]
    public async Task Reopen_AfterPartialCommit_ReplaysOnlyTheRest()
    {
        await using (var spool = SpoolHarness.Open(_dir.Path, _metrics))
        {
            await SpoolHarness.AppendAllAsync(spool, "a", "b", "c");
            var records = SpoolHarness.ReadAll(spool);
            spool.Commit(records[2].Record.Position);
        }

        await using var reopened = SpoolHarness.Open(_dir.Path, _metrics);
        var replayed = SpoolHarness.ReadAll(reopened);

        Assert.Equal(["c"], replayed.Select(r => r.Payload));
        Assert.True(replayed[0].Record.Replayed);
        Assert.Equal(RecordFormat.HeaderSize + 1, reopened.UndrainedBytes);
    }

    [Fact]
    public async Task Reopen_NewAppends_ContinueAfterOldRecordsWithFreshIds()
    {
        var ids = new List<ulong>();
        await using (var spool = SpoolHarness.Open(_dir.Path, _metrics))
        {
            await SpoolHarness.AppendAllAsync(spool, "a", "b");
            ids.AddRange(SpoolHarness.ReadAll(spool).Select(r => r.Record.Id));
            spool.Commit(spool.ReadPosition);
        }

        await using var reopened = SpoolHarness.Open(_dir.Path, _metrics);
        await SpoolHarness.AppendAllAsync(reopened, "c", "d");
        var fresh = SpoolHarness.ReadAll(reopened);

        Assert.Equal(["c", "d"], fresh.Select(r => r.Payload));
        Assert.All(fresh, r => Assert.False(r.Record.Replayed));
        ids.AddRange(fresh.Select(r => r.Record.Id));
        Assert.Equal(4, ids.Distinct().Count());
    }

    [Fact]
    public async Task Reopen_GarbageAfterLastRecord_IsCutAndEarlierRecordsSurvive()
    {
        await using (var spool = SpoolHarness.Open(_dir.Path, _metrics))
        {
            await SpoolHarness.AppendAllAsync(spool, "a", "b", "c");
        }

        var segment = Assert.Single(_dir.SegmentFiles());
        var goodLength = new FileInfo(segment).Length;
        File.AppendAllBytes(segment, Enumerable.Repeat((byte)0xAB, 100).ToArray());

        await using var reopened = SpoolHarness.Open(_dir.Path, _metrics);

        Assert.Equal(goodLength, new FileInfo(segment).Length);
        Assert.Equal(["a", "b", "c"], SpoolHarness.ReadAll(reopened).Select(r => r.Payload));
        await SpoolHarness.AppendAllAsync(reopened, "d");
        Assert.Equal(["d"], SpoolHarness.ReadAll(reopened).Select(r => r.Payload));
    }

    [Fact]
    public async Task Reopen_LastRecordCutShort_IsCutAndEarlierRecordsSurvive()
    {
        await using (var spool = SpoolHarness.Open(_dir.Path, _metrics))
        {
            await SpoolHarness.AppendAllAsync(spool, "first", "second", "third record, torn by a crash");
        }

        var segment = Assert.Single(_dir.SegmentFiles());
        var length = new FileInfo(segment).Length;
        using (var file = File.OpenWrite(segment))
        {
            file.SetLength(length - 10);
        }

        await using var reopened = SpoolHarness.Open(_dir.Path, _metrics);

        Assert.Equal(["first", "second"], SpoolHarness.ReadAll(reopened).Select(r => r.Payload));
        Assert.Equal((2 * RecordFormat.HeaderSize) + "first".Length + "second".Length, new FileInfo(segment).Length);
    }

    [Fact]
    public async Task Reopen_HeaderOfTornRecordWithoutPayload_IsCut()
    {
        await using (var spool = SpoolHarness.Open(_dir.Path, _metrics))
        {
            await SpoolHarness.AppendAllAsync(spool, "kept", "a record whose payload never reached the disk");
        }

        var segment = Assert.Single(_dir.SegmentFiles());
        var keptLength = RecordFormat.HeaderSize + "kept".Length;
        using (var file = File.OpenWrite(segment))
        {
            file.SetLength(keptLength + RecordFormat.HeaderSize + 3);
        }

        await using var reopened = SpoolHarness.Open(_dir.Path, _metrics);

        Assert.Equal(["kept"], SpoolHarness.ReadAll(reopened).Select(r => r.Payload));
        Assert.Equal(keptLength, new FileInfo(segment).Length);
    }

    [Fact]
    public async Task Reopen_ChecksumMismatchInLastRecord_IsCutAsTornTail()
    {
        await using (var spool = SpoolHarness.Open(_dir.Path, _metrics))
        {
            await SpoolHarness.AppendAllAsync(spool, "aaaa", "bbbb", "cccc");
        }

        var segment = Assert.Single(_dir.SegmentFiles());
        FlipByte(segment, (2 * (RecordFormat.HeaderSize + 4)) + RecordFormat.HeaderSize + 1);

        await using var reopened = SpoolHarness.Open(_dir.Path, _metrics);

        Assert.Equal(["aaaa", "bbbb"], SpoolHarness.ReadAll(reopened).Select(r => r.Payload));
        Assert.Equal(2 * (RecordFormat.HeaderSize + 4), new FileInfo(segment).Length);
    }

    [Fact]
    public async Task Read_ChecksumMismatchInMiddleRecord_SkipsOnlyThatRecordAndCountsIt()
    {
        await using (var spool = SpoolHarness.Open(_dir.Path, _metrics))
        {
            await SpoolHarness.AppendAllAsync(spool, "aaaa", "bbbb", "cccc");
        }

        var segment = Assert.Single(_dir.SegmentFiles());
        var recordSize = RecordFormat.HeaderSize + 4;
        FlipByte(segment, recordSize + RecordFormat.HeaderSize + 2);

        var metrics = new IngestMetrics();
        await using var reopened = SpoolHarness.Open(_dir.Path, metrics);
        var records = SpoolHarness.ReadAll(reopened);

        // Damage followed by sound records is not a torn tail: nothing acknowledged after it may be lost.
        Assert.Equal(["aaaa", "cccc"], records.Select(r => r.Payload));
        Assert.Equal(recordSize, metrics.SpoolCorruptedBytes);
        Assert.Equal(3 * recordSize, new FileInfo(segment).Length);
        reopened.Commit(reopened.ReadPosition);
        Assert.Equal(0, reopened.UndrainedBytes);
    }

    [Fact]
    public async Task Reopen_DamagedCheckpoint_ReplaysEverythingLeft()
    {
        await using (var spool = SpoolHarness.Open(_dir.Path, _metrics))
        {
            await SpoolHarness.AppendAllAsync(spool, "a", "b");
            SpoolHarness.ReadAll(spool);
            spool.Commit(spool.ReadPosition);
        }

        File.WriteAllBytes(Path.Combine(_dir.Path, "checkpoint"), [1, 2, 3]);

        await using var reopened = SpoolHarness.Open(_dir.Path, _metrics);

        Assert.Equal(["a", "b"], SpoolHarness.ReadAll(reopened).Select(r => r.Payload));
    }

    private static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ 0xFF));
    }
}
