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
/// Two stages, overlapped: while one batch is being written, the next is read and converted (parsing can cost as
/// much as the store's insert, and done in turn one would wait on the other with a core idle). At most one
/// batch is in the store's hands and one is filling, in two buffers that swap. Batches are written one at a time,
/// in spool order, and each is committed before the next write starts, so commits stay in order and only ever
/// cover what the store has accepted.
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

    // The drain loop alone touches the spool (reads, rewinds, commits) and these fields; the write in flight only
    // sees the batch it was handed, so the spool keeps its single reader.
    private DrainBatch _filling = new();
    private DrainBatch _writing = new();

    /// <summary>The store write of <see cref="_writing"/>, or null when none is in flight or its batch is committed.</summary>
    private Task? _write;

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

                // One write at a time, in spool order: the batch just filled goes out once the one before is committed.
                await FinishWriteAsync().ConfigureAwait(false);
                StartWrite(stoppingToken);
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is not committed stays in the spool and is replayed on the next start.
            await EndWriteOnStopAsync().ConfigureAwait(false);
            LogStopped(_logger, _spool.DurableEnd - _spool.CommittedPosition);
        }
    }

    /// <summary>Hands the filled batch to the store, in the background, and takes the other buffer to fill next.</summary>
    private void StartWrite(CancellationToken stoppingToken)
    {
        // The buffer about to be refilled must be out of the store's hands.
        Debug.Assert(_write is null, "A write is still in flight.");
        (_filling, _writing) = (_writing, _filling);
        if (_writing.Items == 0)
        {
            // Only skipped or damaged records: nothing to write, but their range still needs committing.
            Commit(_writing.EndPosition);
            return;
        }

        // Off the loop: a store may do much of its work (serialising the batch) before its first await.
        var batch = _writing;
        _write = Task.Run(() => WriteAsync(batch, stoppingToken), CancellationToken.None);
    }

    /// <summary>
    /// Waits for the write in flight, if any, and commits its batch. The write ends only once the store has the
    /// batch or the drainer is stopping; then this throws and the batch stays uncommitted, for replay.
    /// </summary>
    private async Task FinishWriteAsync()
    {
        if (_write is not null)
        {
            await _write.ConfigureAwait(false);
            CommitIfWritten();
        }
    }

    /// <summary>Commits the batch in flight if the store has it; the loop calls this whenever it would otherwise wait.</summary>
    private void CommitIfWritten()
    {
        if (_write is { IsCompletedSuccessfully: true })
        {
            _write = null;
            Commit(_writing.EndPosition);
        }
    }

    /// <summary>
    /// Lets the write in flight end (it watches the stopping token, so this is prompt) rather than have it outlive
    /// the drainer into a disposed store; commits it if it got there after all.
    /// </summary>
    private async Task EndWriteOnStopAsync()
    {
        if (_write is not null)
        {
            await _write.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            CommitIfWritten();
            _write = null;
        }
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
