using System.Buffers;
using System.Threading.Channels;
using Mesh.Ingest.Pipeline;
using Microsoft.Extensions.Logging;

namespace Mesh.Ingest.Spool;

/// <summary>
/// The durable write-ahead spool between the receivers and the store: an append-only log of segment files.
/// Receivers append (<see cref="AppendAsync"/>) and are answered once their record is fsync'd; one writer thread
/// writes whatever is pending and fsyncs once for all of it (group commit). The <see cref="SpoolDrainer"/> reads
/// records in order and commits how far the store has them; drained segments are deleted.
/// </summary>
/// <remarks>
/// Open with <see cref="Open"/>, dispose after the drainer has stopped. One reader (the drainer) at a time.
/// </remarks>
public sealed partial class FileSpool : ISpoolWriter, IAsyncDisposable
{
    private readonly SpoolOptions _options;
    private readonly string _directory;
    private readonly IngestMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ulong _idBase;

    /// <summary>Held open without sharing for the spool's life: two processes on one spool directory would corrupt it.</summary>
    private readonly FileStream _directoryLock;

    /// <summary>Records before this position were in the spool when it opened, so the store may have them already.</summary>
    private readonly long _replayEnd;

    // Appender-to-writer hand-off. The monitor is held only to add to or swap the list, never during I/O.
    private readonly object _gate = new();
    private List<PendingRecord> _pending = [];
    private long _pendingBytes;
    private TaskCompletionSource _group = NewGroup();
    private bool _closing;
    private Exception? _fault;
    private Task? _disposeTask;

    private readonly Thread _writer;
    private readonly TaskCompletionSource _writerExited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Oldest first. The writer adds at the end, the reader removes drained ones from the front.
    private readonly object _segmentsGate = new();
    private readonly List<Segment> _segments;

    private long _writeEnd;
    private long _durableEnd;
    private long _undrainedBytes;
    private long _readPosition;
    private long _committed;
    private double _drainBytesPerSecond;
    private long _lastCommitTimestamp;

    // Capacity one, dropping extra writes: a wake-up flag for the single reader, not a queue.
    private readonly Channel<bool> _dataAvailable = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private TaskCompletionSource _committedChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FileSpool(SpoolOptions options, IngestMetrics metrics, ILogger logger, TimeProvider timeProvider, FileStream directoryLock, RecoveredState state)
    {
        _directoryLock = directoryLock;
        _options = options;
        _directory = options.Directory;
        _metrics = metrics;
        _logger = logger;
        _timeProvider = timeProvider;
        _idBase = state.IdBase;
        _segments = state.Segments;
        _committed = _readPosition = state.Committed;
        _writeEnd = _durableEnd = _replayEnd = state.End;
        _undrainedBytes = state.End - state.Committed;
        _lastCommitTimestamp = timeProvider.GetTimestamp();
        metrics.SetSpooledBytes(_undrainedBytes);

        // A dedicated thread: the writer blocks in write and fsync calls, which would starve thread-pool work.
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "Mesh spool writer" };
        _writer.Start();
    }

    /// <summary>Bytes appended (or being appended) and not yet committed as drained.</summary>
    public long UndrainedBytes => Interlocked.Read(ref _undrainedBytes);

    /// <summary>
    /// Opens (creating if needed) the spool in <see cref="SpoolOptions.Directory"/> and recovers it: a torn tail
    /// left by a crash is cut off, and records not committed before are handed to the reader again as replayed.
    /// </summary>
    public static FileSpool Open(SpoolOptions options, IngestMetrics metrics, ILogger<FileSpool> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();

        var directoryLock = LockDirectory(options.Directory);
        try
        {
            var state = Recover(options.Directory, logger);
            LogOpened(logger, options.Directory, state.End - state.Committed, state.Segments.Count);
            return new FileSpool(options, metrics, logger, timeProvider, directoryLock, state);
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Cancelling stops the wait, not the write: a record already handed to the writer may still become durable
    /// (and be delivered), which the at-least-once contract allows.
    /// </remarks>
    public ValueTask<AppendResult> AppendAsync(SignalType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (type is not (SignalType.Traces or SignalType.Logs))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown signal type.");
        }

        if (payload.Length > RecordFormat.MaxPayloadLength)
        {
            throw new ArgumentException($"A spool record holds at most {RecordFormat.MaxPayloadLength} bytes.", nameof(payload));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<AppendResult>(cancellationToken);
        }

        var size = RecordFormat.HeaderSize + payload.Length;
        var undrained = Interlocked.Add(ref _undrainedBytes, size);

        // One record larger than the limit still goes into an empty spool, or it could never be accepted.
        if (undrained > _options.MaxBytes && undrained != size)
        {
            Interlocked.Add(ref _undrainedBytes, -size);
            return ValueTask.FromResult(AppendResult.Full(RetryAfter(undrained - _options.MaxBytes)));
        }

        _metrics.SetSpooledBytes(undrained);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        payload.Span.CopyTo(buffer.AsSpan(RecordFormat.HeaderSize));
        RecordFormat.WriteHeader(buffer, type, payload.Length);

        // Checksummed here, on the appender's thread, so the single writer only has to finish the header.
        var record = new PendingRecord(buffer, size, Crc32C.Compute(buffer.AsSpan(RecordFormat.HeaderSize, payload.Length)));

        Task committed;
        bool enqueued;
        try
        {
            enqueued = TryEnqueue(record, out committed);
        }
        catch
        {
            Release(record);
            throw;
        }

        return enqueued ? AwaitCommitAsync(committed, cancellationToken) : EnqueueWhenRoomAsync(record, committed, cancellationToken);
    }

    /// <summary>
    /// Stops the writer once everything appended so far is written (those appends complete normally; appends that
    /// arrive later fail with <see cref="ObjectDisposedException"/>) and closes the files. Safe to call twice.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposeTask is null)
            {
                _closing = true;
                Monitor.Pulse(_gate);
                _disposeTask = DisposeCoreAsync();
            }

            return new ValueTask(_disposeTask);
        }
    }

    private async Task DisposeCoreAsync()
    {
        await _writerExited.Task.ConfigureAwait(false);
        _dataAvailable.Writer.TryComplete();
        lock (_segmentsGate)
        {
            foreach (var segment in _segments)
            {
                segment.Dispose();
            }

            _segments.Clear();
        }

        await _directoryLock.DisposeAsync().ConfigureAwait(false);
    }

    private static FileStream LockDirectory(string directory)
    {
        Directory.CreateDirectory(directory);
        try
        {
            // FileShare.None is an exclusive lock on every platform (.NET takes an advisory flock on Unix).
            return new FileStream(Path.Combine(directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"The spool directory '{directory}' is in use by another spool.", ex);
        }
    }

    private static TaskCompletionSource NewGroup() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static async ValueTask<AppendResult> AwaitCommitAsync(Task committed, CancellationToken cancellationToken)
    {
        await committed.WaitAsync(cancellationToken).ConfigureAwait(false);
        return AppendResult.Durable;
    }

    /// <summary>Hands the record to the writer, unless too much is pending: then returns the group commit to wait for.</summary>
    private bool TryEnqueue(in PendingRecord record, out Task committed)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closing, this);
            if (_fault is not null)
            {
                throw new IOException("The spool stopped accepting appends after a write to disk failed.", _fault);
            }

            committed = _group.Task;
            if (_pendingBytes > 0 && _pendingBytes + record.Length > _options.MaxPendingBytes)
            {
                return false;
            }

            _pending.Add(record);
            _pendingBytes += record.Length;
            if (_pending.Count == 1)
            {
                Monitor.Pulse(_gate);
            }

            return true;
        }
    }

    private async ValueTask<AppendResult> EnqueueWhenRoomAsync(PendingRecord record, Task groupToWaitFor, CancellationToken cancellationToken)
    {
        var enqueued = false;
        try
        {
            while (true)
            {
                // A failed group is reported by TryEnqueue (the spool's fault), so only the wait matters here.
                await groupToWaitFor.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                cancellationToken.ThrowIfCancellationRequested();
                enqueued = TryEnqueue(record, out var committed);
                if (enqueued)
                {
                    await committed.WaitAsync(cancellationToken).ConfigureAwait(false);
                    return AppendResult.Durable;
                }

                groupToWaitFor = committed;
            }
        }
        catch when (!enqueued)
        {
            Release(record);
            throw;
        }
    }

    /// <summary>Gives back what an append that never reached the writer had taken.</summary>
    private void Release(in PendingRecord record)
    {
        ArrayPool<byte>.Shared.Return(record.Buffer);
        _metrics.SetSpooledBytes(Interlocked.Add(ref _undrainedBytes, -record.Length));
    }

    private TimeSpan RetryAfter(long excessBytes)
    {
        // Roughly how long the drainer needs to make room at its recent pace; unknown pace means the longest wait.
        var rate = Volatile.Read(ref _drainBytesPerSecond);
        var seconds = rate > 0 ? excessBytes / rate : double.PositiveInfinity;
        return TimeSpan.FromSeconds(Math.Clamp(seconds, _options.MinRetryAfter.TotalSeconds, _options.MaxRetryAfter.TotalSeconds));
    }

    /// <summary>An append on its way to the writer: the pooled buffer holds header and payload.</summary>
    private readonly record struct PendingRecord(byte[] Buffer, int Length, uint PayloadCrc);
}
