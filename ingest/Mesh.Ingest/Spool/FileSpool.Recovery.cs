using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Mesh.Ingest.Spool;

/// <summary>Opening a spool directory: find the segments, repair the tail, drop what is drained.</summary>
public sealed partial class FileSpool
{
    /// <summary>
    /// 1. Read the checkpoint (drained position and id base). 2. Open the segments in position order.
    /// 3. Scan the last segment from the checkpoint on: a record that is short or fails its checksum, with no
    /// sound record after it, is the tail of a write that was never fsync'd (so never acknowledged) and is cut off;
    /// damage with sound records after it is left for the reader to skip, so no acknowledged record is lost.
    /// 4. Delete segments wholly before the checkpoint (a crash can come between commit and delete).
    /// 5. Persist the checkpoint if anything changed. Everything between checkpoint and end is replayed.
    /// </summary>
    private static RecoveredState Recover(string directory, ILogger logger)
    {
        Directory.CreateDirectory(directory);
        Checkpoint.DeleteLeftovers(directory);

        Checkpoint? checkpoint;
        try
        {
            checkpoint = Checkpoint.Read(directory);
        }
        catch (InvalidDataException ex)
        {
            // Without it everything left is replayed; the store's replay mode makes that safe, only slower.
            LogCheckpointDamaged(logger, ex);
            checkpoint = null;
        }

        var segments = OpenSegments(directory);
        try
        {
            var committed = checkpoint?.Position ?? 0;
            if (segments.Count > 0)
            {
                // Below the first segment everything was drained and deleted.
                committed = Math.Max(committed, segments[0].Base);
            }

            var lastRecord = segments.Count > 0 ? RepairTail(segments[^1], committed, logger) : null;
            var dataEnd = segments.Count > 0 ? segments[^1].End : committed;
            if (committed > dataEnd)
            {
                // Data the store already has is gone from disk. Continuing from the checkpoint keeps positions,
                // and so record ids, from ever repeating.
                LogCheckpointAhead(logger, committed, dataEnd);
            }

            var idBase = checkpoint?.IdBase
                ?? (lastRecord is var (id, position) ? id - (ulong)position : BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(sizeof(ulong))));

            DeleteDrained(segments, committed, logger);
            if (checkpoint != new Checkpoint(committed, idBase))
            {
                new Checkpoint(committed, idBase).Write(directory);
            }

            return new RecoveredState(segments, committed, Math.Max(dataEnd, committed), idBase);
        }
        catch
        {
            foreach (var segment in segments)
            {
                segment.Dispose();
            }

            throw;
        }
    }

    private static List<Segment> OpenSegments(string directory)
    {
        var found = new List<(long Base, string Path)>();
        foreach (var path in Directory.EnumerateFiles(directory, "*" + Segment.Extension))
        {
            if (Segment.TryParseFileName(Path.GetFileName(path), out var basePosition))
            {
                found.Add((basePosition, path));
            }
        }

        found.Sort((a, b) => a.Base.CompareTo(b.Base));
        var segments = new List<Segment>(found.Count);
        try
        {
            foreach (var (basePosition, path) in found)
            {
                var segment = Segment.Open(path, basePosition);
                if (segments.Count > 0 && segments[^1].End > basePosition)
                {
                    segment.Dispose();
                    throw new InvalidDataException($"Spool segments '{segments[^1].Path}' and '{path}' overlap; the spool directory was altered.");
                }

                segments.Add(segment);
            }

            return segments;
        }
        catch
        {
            foreach (var segment in segments)
            {
                segment.Dispose();
            }

            throw;
        }
    }

    /// <summary>Scans the last segment from <paramref name="committed"/>, cuts a torn tail, returns the last sound record (id, position).</summary>
    private static (ulong Id, long Position)? RepairTail(Segment last, long committed, ILogger logger)
    {
        (ulong, long)? lastRecord = null;
        var length = last.Length;
        var offset = Math.Max(0, committed - last.Base);
        while (offset < length)
        {
            if (last.ReadRecordAt(offset, length, out var total, out var id) == ParseStatus.Ok)
            {
                lastRecord = (id, last.Base + offset);
                offset += total;
                continue;
            }

            var next = last.FindNextRecord(offset + 1, length);
            if (next < 0)
            {
                LogTornTail(logger, last.Path, offset, length - offset);
                last.Truncate(offset);
                break;
            }

            LogDamaged(logger, last.Path, offset, next - offset);
            offset = next;
        }

        return lastRecord;
    }

    private static void DeleteDrained(List<Segment> segments, long committed, ILogger logger)
    {
        while (segments.Count > 0 && segments[0].End <= committed)
        {
            var segment = segments[0];
            segments.RemoveAt(0);
            segment.Dispose();
            try
            {
                File.Delete(segment.Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogDeleteFailed(logger, segment.Path, ex);
            }
        }
    }

    private sealed record RecoveredState(List<Segment> Segments, long Committed, long End, ulong IdBase);
}
