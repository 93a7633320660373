using System.Diagnostics;
using Mesh.Core.Storage;
using Mesh.Otlp.Storage;
using Mesh.Ingest.Spool;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.Ingest.Pipeline;

/// <summary>
/// Moves spooled records to the store: reads a batch, converts it, writes spans then logs, and commits the spool
/// position only once the store has them, so nothing acknowledged is lost. A failed write is retried for as long as
/// it takes, with backoff, as a replay (it may have partly landed); the store's idempotence makes that exact.
/// </summary>
/// <remarks>
/// <para>
/// Two stages, overlapped: while a batch is being written, the next is read and converted (parsing can cost as
/// much as the store's insert, and done in turn one would wait on the other with a core idle). Up to
/// <see cref="DrainerOptions.MaxWritesInFlight"/> batches are in the store's hands at once (one by default; a
/// store that takes concurrent inserts well, such as ClickHouse, overlaps one batch's encoding with the server's
/// work on the one before), and one is filling, in buffers that rotate. Writes start in spool order, and commits
/// follow it strictly: a batch is committed only once it and every batch before it are in the store, so a
/// commit only ever covers what the store has accepted, whichever write finishes first.
/// </para>
/// <para>
/// Host order: open the <see cref="FileSpool"/>, start the drainer, start the receivers. On shutdown: stop the
/// receivers, optionally <see cref="WaitForDrainAsync"/> with a deadline, stop the drainer, dispose the spool.
/// </para>
/// </remarks>
public sealed partial class SpoolDrainer : BackgroundService
{
    private readonly FileSpool _spool;
    private readonly ITelemetryStore _store;

    /// <summary>The store's span writer when it takes OTLP bytes: trace records then skip parsing and the model.</summary>
    private readonly IOtlpSpanWriter? _otlpSpans;
    private readonly IngestMetrics _metrics;
    private readonly DrainerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    /// <summary>Told of every batch once it is in the store (the analytics rollups).</summary>
    private readonly IIngestBatchObserver[] _observers;

    // The drain loop alone touches the spool (reads, rewinds, commits) and these fields; a write in flight only
    // sees the batch it was handed, so the spool keeps its single reader.
    private DrainBatch _filling = new();

    /// <summary>Buffers out of the store's hands, ready to be filled.</summary>
    private readonly Stack<DrainBatch> _free = new();

    /// <summary>
    /// The store writes in flight, oldest first (at most <see cref="DrainerOptions.MaxWritesInFlight"/>); each is
    /// committed once it and every write before it are done.
    /// </summary>
    private readonly Queue<(DrainBatch Batch, Task Write)> _writes = new();

    public SpoolDrainer(
        FileSpool spool,
        ITelemetryStore store,
        IngestMetrics metrics,
        DrainerOptions options,
        ILogger<SpoolDrainer> logger,
        TimeProvider timeProvider,
        IEnumerable<IIngestBatchObserver>? observers = null)
    {
        ArgumentNullException.ThrowIfNull(spool);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _spool = spool;
        _store = store;
        _otlpSpans = options.WriteOtlpBytes ? store.SpanWriter as IOtlpSpanWriter : null;
        _metrics = metrics;
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
        _observers = observers?.ToArray() ?? [];
    }

    /// <summary>Reads the spool: <see cref="FileSpool.Read"/>, unless a test substitutes a failing read.</summary>
    internal Func<FileSpool, int, int, SpoolBatch> ReadSpool { get; init; } = static (spool, maxRecords, maxBytes) => spool.Read(maxRecords, maxBytes);

    /// <summary>
    /// Completes once every record appended before the call is in the store and committed. Needs the drainer
    /// running; bound it with <paramref name="cancellationToken"/> (a store outage makes it wait).
    /// </summary>
    public Task WaitForDrainAsync(CancellationToken cancellationToken) =>
        _spool.WaitForCommittedAsync(_spool.DurableEnd, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                if (!await TryFillAsync(stoppingToken).ConfigureAwait(false))
                {
                    continue;
                }

                // In spool order: the batch just filled goes out once fewer than the limit are in the store's hands.
                while (_writes.Count >= _options.MaxWritesInFlight)
                {
                    await FinishOldestWriteAsync().ConfigureAwait(false);
                }

                StartWrite(stoppingToken);
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is not committed stays in the spool and is replayed on the next start.
            await EndWritesOnStopAsync().ConfigureAwait(false);
            LogStopped(_logger, _spool.DurableEnd - _spool.CommittedPosition);
        }
    }

    /// <summary>Hands the filled batch to the store, in the background, and takes a free buffer to fill next.</summary>
    private void StartWrite(CancellationToken stoppingToken)
    {
        Debug.Assert(_writes.Count < _options.MaxWritesInFlight, "Too many writes in flight.");
        var batch = _filling;
        _filling = _free.Count > 0 ? _free.Pop() : new DrainBatch();

        // Only skipped or damaged records: nothing to write, but their range still needs committing, after the
        // writes before it. Off the loop otherwise: a store may do much of its work (serialising the batch) before
        // its first await.
        var write = batch.Items == 0
            ? Task.CompletedTask
            : Task.Run(() => WriteAsync(batch, stoppingToken), CancellationToken.None);
        _writes.Enqueue((batch, write));
        CommitIfWritten();
    }

    /// <summary>
    /// Waits for the oldest write in flight, if any, and commits its batch (and any done after it). A write ends
    /// only once the store has the batch or the drainer is stopping; then this throws and the batch stays
    /// uncommitted, for replay.
    /// </summary>
    private async Task FinishOldestWriteAsync()
    {
        if (_writes.TryPeek(out var oldest))
        {
            await oldest.Write.ConfigureAwait(false);
            CommitIfWritten();
        }
    }

    /// <summary>Waits for every write in flight and commits them all.</summary>
    private async Task FinishAllWritesAsync()
    {
        while (_writes.Count > 0)
        {
            await FinishOldestWriteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Commits, in spool order, each write that is done, up to the first still in flight; the loop calls this
    /// whenever it would otherwise wait.
    /// </summary>
    private void CommitIfWritten()
    {
        var end = -1L;
        while (_writes.TryPeek(out var oldest) && oldest.Write.IsCompletedSuccessfully)
        {
            _ = _writes.Dequeue();
            end = oldest.Batch.EndPosition;
            _free.Push(oldest.Batch);
        }

        if (end >= 0)
        {
            Commit(end);
        }
    }

    /// <summary>
    /// Lets the writes in flight end (they watch the stopping token, so this is prompt) rather than have them outlive
    /// the drainer into a disposed store; commits those that got there after all, in order, up to the first that did not.
    /// </summary>
    private async Task EndWritesOnStopAsync()
    {
        foreach (var (_, write) in _writes)
        {
            await write.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        CommitIfWritten();
        _writes.Clear();
    }

    private void Commit(long position)
    {
        try
        {
            _spool.Commit(position);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The store has the data; a later commit covers this range, and until then a restart merely replays it.
            LogCommitFailed(_logger, ex);
        }
    }
}
