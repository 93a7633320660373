using System.Buffers;

namespace Mesh.Ingest.Spool;

/// <summary>The writer thread: group commit of pending appends.</summary>
public sealed partial class FileSpool
{
    private void WriterLoop()
    {
        var batch = new List<PendingRecord>();
        var buffers = new List<ReadOnlyMemory<byte>>();
        try
        {
            while (true)
            {
                TaskCompletionSource group;
                bool closing;
                lock (_gate)
                {
                    while (_pending.Count == 0 && !_closing)
                    {
                        Monitor.Wait(_gate);
                    }

                    // Everything that arrived while the previous fsync ran goes out together: that is the group commit.
                    (batch, _pending) = (_pending, batch);
                    _pendingBytes = 0;
                    group = _group;
                    if (batch.Count > 0)
                    {
                        _group = NewGroup();
                    }

                    closing = _closing;
                }

                if (batch.Count > 0)
                {
                    try
                    {
                        WriteBatch(batch, buffers);
                    }
                    catch (Exception ex)
                    {
                        Fail(ex, batch, group);
                        return;
                    }

                    ReturnBuffers(batch);
                    group.TrySetResult();
                }

                // Appends are refused once closing is set, so the swap above took the last of them.
                if (closing)
                {
                    return;
                }
            }
        }
        finally
        {
            _writerExited.TrySetResult();
        }
    }

    private void WriteBatch(List<PendingRecord> batch, List<ReadOnlyMemory<byte>> buffers)
    {
        var position = _writeEnd;
        var index = 0;
        while (index < batch.Count)
        {
            var (segment, created) = SegmentToAppendAt(position);
            var fileOffset = position - segment.Base;
            long chunk = 0;
            buffers.Clear();
            do
            {
                var record = batch[index++];
                RecordFormat.Seal(record.Buffer, _idBase + (ulong)(position + chunk), record.PayloadCrc);
                buffers.Add(record.Buffer.AsMemory(0, record.Length));
                chunk += record.Length;
            }
            while (index < batch.Count && fileOffset + chunk < _options.SegmentBytes);

            // One gathered write and one fsync per segment touched, whatever the number of records.
            RandomAccess.Write(segment.Handle, buffers, fileOffset);
            RandomAccess.FlushToDisk(segment.Handle);
            if (created)
            {
                DirectorySync.Flush(_directory);
            }

            _metrics.SpoolFsynced();
            segment.Length = fileOffset + chunk;
            position += chunk;
        }

        _writeEnd = position;
        Volatile.Write(ref _durableEnd, position);
        _metrics.SpoolAppended(batch.Count);
        _dataAvailable.Writer.TryWrite(true);
    }

    /// <summary>The last segment if the position continues it and it has room, else a new segment starting there.</summary>
    private (Segment Segment, bool Created) SegmentToAppendAt(long position)
    {
        lock (_segmentsGate)
        {
            if (_segments.Count > 0 && _segments[^1] is var last && last.End == position && last.Length < _options.SegmentBytes)
            {
                return (last, false);
            }
        }

        var segment = Segment.Create(_directory, position);
        lock (_segmentsGate)
        {
            _segments.Add(segment);
        }

        return (segment, true);
    }

    /// <summary>
    /// After a failed write or fsync the state of the file is unknown (and Linux may have dropped the dirty pages),
    /// so the spool stops: every pending append fails, later ones are refused, and a restart recovers from disk.
    /// </summary>
    private void Fail(Exception error, List<PendingRecord> batch, TaskCompletionSource group)
    {
        LogWriteFailed(_logger, error);
        List<PendingRecord> rest;
        TaskCompletionSource restGroup;
        lock (_gate)
        {
            _fault = error;
            rest = _pending;
            _pending = [];
            _pendingBytes = 0;
            restGroup = _group;
        }

        var failure = new IOException("Writing the spool to disk failed; the record is not durable.", error);
        foreach (var records in (ReadOnlySpan<List<PendingRecord>>)[batch, rest])
        {
            foreach (var record in records)
            {
                Release(record);
            }
        }

        group.TrySetException(failure);
        restGroup.TrySetException(failure);
    }

    private static void ReturnBuffers(List<PendingRecord> batch)
    {
        foreach (var record in batch)
        {
            ArrayPool<byte>.Shared.Return(record.Buffer);
        }

        batch.Clear();
    }
}
