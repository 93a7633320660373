using System.Buffers;

namespace Mesh.Ingest.Spool;

/// <summary>The drainer's side: read in order, commit what the store has, delete drained segments.</summary>
public sealed partial class FileSpool
{
    /// <summary>The end of what is fsync'd: every append that has completed lies before it.</summary>
    internal long DurableEnd => Volatile.Read(ref _durableEnd);

    /// <summary>Everything before this position is in the store (as last committed).</summary>
    internal long CommittedPosition => Volatile.Read(ref _committed);

    /// <summary>Where the next <see cref="Read"/> starts.</summary>
    internal long ReadPosition => _readPosition;

    /// <summary>Whether durable records are waiting to be read.</summary>
    internal bool HasUnread => _readPosition < DurableEnd;

    /// <summary>
    /// Reads the next durable records, at most <paramref name="maxRecords"/> and, unless the first record alone is
    /// larger, at most <paramref name="maxBytes"/> of records; never waits. Damaged bytes (which should not exist
    /// below the durable end) are logged, counted and skipped, so they cannot wedge the drain.
    /// </summary>
    internal SpoolBatch Read(int maxRecords, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecords);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposeTask) is not null, this);

        var durableEnd = DurableEnd;
        var batch = new SpoolBatch(_readPosition);
        while (_readPosition < durableEnd && batch.Records.Count == 0)
        {
            var segment = Locate(_readPosition, durableEnd, out var jumpTo);
            if (segment is null)
            {
                _readPosition = jumpTo;
            }
            else
            {
                ReadFrom(segment, durableEnd, maxRecords, maxBytes, batch);
            }

            batch.EndPosition = _readPosition;
        }

        return batch;
    }

    /// <summary>Moves the read position back to a record not yet committed, so the next read returns it again.</summary>
    internal void Rewind(long position)
    {
        if (position < CommittedPosition || position > _readPosition)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, "Can only rewind to a position between the committed and the read position.");
        }

        _readPosition = position;
    }

    /// <summary>
    /// Records that the store has everything before <paramref name="position"/> (a batch's end position): persists it
    /// (atomically, fsync'd) so a restart does not replay it, frees the space, and deletes wholly drained segments.
    /// </summary>
    internal void Commit(long position)
    {
        var committed = CommittedPosition;
        if (position <= committed)
        {
            return;
        }

        if (position > _readPosition)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, "Cannot commit past what has been read.");
        }

        new Checkpoint(position, _idBase).Write(_directory);
        Volatile.Write(ref _committed, position);
        var drained = position - committed;
        _metrics.SetSpooledBytes(Interlocked.Add(ref _undrainedBytes, -drained));
        UpdateDrainRate(drained);
        DeleteDrainedSegments(position);
        Interlocked.Exchange(ref _committedChanged, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Completes when durable records are waiting to be read.</summary>
    internal async ValueTask WaitForDataAsync(CancellationToken cancellationToken)
    {
        while (!HasUnread)
        {
            var open = await _dataAvailable.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            ObjectDisposedException.ThrowIf(!open, this);

            _dataAvailable.Reader.TryRead(out _);
        }
    }

    /// <summary>Completes once everything before <paramref name="position"/> is committed.</summary>
    internal async Task WaitForCommittedAsync(long position, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Take the signal before checking, so a commit in between is not missed.
            var changed = Volatile.Read(ref _committedChanged).Task;
            if (CommittedPosition >= position)
            {
                return;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The segment holding unread data at <paramref name="position"/>, or null with where to continue: the next
    /// segment's start when the position is at the end of one (or in a gap left by a lost file).
    /// </summary>
    private Segment? Locate(long position, long durableEnd, out long jumpTo)
    {
        lock (_segmentsGate)
        {
            for (var i = _segments.Count - 1; i >= 0; i--)
            {
                var segment = _segments[i];
                if (segment.Base <= position)
                {
                    if (position < Math.Min(segment.End, durableEnd))
                    {
                        jumpTo = position;
                        return segment;
                    }

                    jumpTo = i + 1 < _segments.Count ? Math.Min(_segments[i + 1].Base, durableEnd) : durableEnd;
                    return null;
                }
            }

            jumpTo = _segments.Count > 0 ? Math.Min(_segments[0].Base, durableEnd) : durableEnd;
            return null;
        }
    }

    private void ReadFrom(Segment segment, long durableEnd, int maxRecords, int maxBytes, SpoolBatch batch)
    {
        var fileOffset = _readPosition - segment.Base;
        var available = Math.Min(segment.End, durableEnd) - _readPosition;
        var size = (int)Math.Min(available, Math.Max(maxBytes, RecordFormat.HeaderSize));
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        var data = buffer.AsSpan(0, RandomAccess.Read(segment.Handle, buffer.AsSpan(0, size), fileOffset));
        var consumed = 0;
        var grown = false;
        while (batch.Records.Count < maxRecords && consumed < data.Length)
        {
            var status = RecordFormat.TryParse(data[consumed..], out var total, out var type, out var id);
            if (status == ParseStatus.Ok)
            {
                var position = _readPosition + consumed;
                var payload = buffer.AsMemory(consumed + RecordFormat.HeaderSize, total - RecordFormat.HeaderSize);
                batch.Records.Add(new SpoolRecord(type, id, position, total, payload, position < _replayEnd));
                consumed += total;
                continue;
            }

            if (consumed > 0)
            {
                // The rest starts at a record boundary: the next read takes it.
                break;
            }

            if (status == ParseStatus.NeedMore && !grown && total > data.Length && total <= available)
            {
                // A single record larger than the read: read exactly that record.
                grown = true;
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = ArrayPool<byte>.Shared.Rent(total);
                data = buffer.AsSpan(0, RandomAccess.Read(segment.Handle, buffer.AsSpan(0, total), fileOffset));
                continue;
            }

            ArrayPool<byte>.Shared.Return(buffer);
            SkipDamage(segment, fileOffset, Math.Min(segment.End, durableEnd) - segment.Base);
            return;
        }

        if (consumed == 0)
        {
            // Only possible if the file came back shorter than its recorded length.
            ArrayPool<byte>.Shared.Return(buffer);
            SkipDamage(segment, fileOffset, Math.Min(segment.End, durableEnd) - segment.Base);
            return;
        }

        batch.Own(buffer);
        _readPosition += consumed;
    }

    private void SkipDamage(Segment segment, long fileOffset, long fileEnd)
    {
        var next = segment.FindNextRecord(fileOffset + 1, fileEnd);
        var resume = next < 0 ? fileEnd : next;
        LogDamaged(_logger, segment.Path, fileOffset, resume - fileOffset);
        _metrics.SpoolCorrupted(resume - fileOffset);
        _readPosition = segment.Base + resume;
    }

    private void UpdateDrainRate(long drainedBytes)
    {
        var now = _timeProvider.GetTimestamp();
        var seconds = _timeProvider.GetElapsedTime(_lastCommitTimestamp, now).TotalSeconds;
        _lastCommitTimestamp = now;
        if (seconds <= 0)
        {
            return;
        }

        // A moving average: steady enough to size a retry-after, quick enough to follow the store's pace.
        var sample = drainedBytes / seconds;
        var previous = Volatile.Read(ref _drainBytesPerSecond);
        Volatile.Write(ref _drainBytesPerSecond, previous == 0 ? sample : (previous * 0.7) + (sample * 0.3));
    }

    private void DeleteDrainedSegments(long position)
    {
        List<Segment>? drained = null;
        lock (_segmentsGate)
        {
            // The last segment stays even when drained: it is where the writer appends.
            while (_segments.Count > 1 && _segments[0].End <= position)
            {
                (drained ??= []).Add(_segments[0]);
                _segments.RemoveAt(0);
            }
        }

        if (drained is null)
        {
            return;
        }

        foreach (var segment in drained)
        {
            segment.Dispose();
            try
            {
                File.Delete(segment.Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Harmless: the next open deletes segments that lie wholly before the checkpoint.
                LogDeleteFailed(_logger, segment.Path, ex);
            }
        }
    }
}
