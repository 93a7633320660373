using Mesh.Core.Storage;
using Mesh.Ingest.Spool;
using Mesh.Otlp.Conversion;
using Mesh.Otlp.Proto.Collector.Logs;
using Mesh.Otlp.Proto.Collector.Trace;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.Ingest.Pipeline;

/// <summary>
/// Moves spooled records to the store: reads a batch, converts it, writes spans then logs, and commits the spool
/// position only once the store has them, so nothing acknowledged is lost. A failed write is retried for as long as
/// it takes, with backoff, as a replay (it may have partly landed); the store's idempotence makes that exact.
/// </summary>
/// <remarks>
/// Host order: open the <see cref="FileSpool"/>, start the drainer, start the receivers. On shutdown: stop the
/// receivers, optionally <see cref="WaitForDrainAsync"/> with a deadline, stop the drainer, dispose the spool.
/// </remarks>
public sealed partial class SpoolDrainer : BackgroundService
{
    private readonly FileSpool _spool;
    private readonly ITelemetryStore _store;
    private readonly IngestMetrics _metrics;
    private readonly DrainerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly DrainBatch _batch = new();

    public SpoolDrainer(FileSpool spool, ITelemetryStore store, IngestMetrics metrics, DrainerOptions options, ILogger<SpoolDrainer> logger, TimeProvider timeProvider)
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
        _metrics = metrics;
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
    }

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

                if (_batch.Items > 0)
                {
                    await WriteAsync(stoppingToken).ConfigureAwait(false);
                }

                Commit();
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is not committed stays in the spool and is replayed on the next start.
            LogStopped(_logger, _spool.DurableEnd - _spool.CommittedPosition);
        }
    }

    /// <summary>Fills the batch; on a spool read failure drops it, pauses, and returns false to start over.</summary>
    private async Task<bool> TryFillAsync(CancellationToken stoppingToken)
    {
        try
        {
            await FillAsync(stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The spool's disk failed us; begin again from the last commit after a pause rather than spin.
            LogReadFailed(_logger, ex);
            _spool.Rewind(_spool.CommittedPosition);
            _batch.Reset(_spool.CommittedPosition);
            await Task.Delay(_options.MaxBackoff, _timeProvider, stoppingToken).ConfigureAwait(false);
            return false;
        }
    }

    private async Task FillAsync(CancellationToken stoppingToken)
    {
        _batch.Reset(_spool.ReadPosition);
        long firstReadAt = 0;
        while (_batch.Records < _options.MaxBatchRecords && _batch.Bytes < _options.MaxBatchBytes && _batch.Items < _options.MaxBatchItems)
        {
            var wasEmpty = _batch.IsEmpty;
            bool gotAny;
            using (var read = _spool.Read(_options.MaxBatchRecords - _batch.Records, (int)(_options.MaxBatchBytes - _batch.Bytes)))
            {
                gotAny = read.EndPosition != read.StartPosition;
                Add(read);
            }

            if (gotAny)
            {
                if (wasEmpty)
                {
                    firstReadAt = _timeProvider.GetTimestamp();
                }

                continue;
            }

            if (_batch.IsEmpty)
            {
                await _spool.WaitForDataAsync(stoppingToken).ConfigureAwait(false);
                continue;
            }

            // Linger a little for more: fewer, larger store writes are far cheaper than many small ones.
            var remaining = _options.MaxBatchWait - _timeProvider.GetElapsedTime(firstReadAt);
            if (remaining <= TimeSpan.Zero || !await WaitForDataAsync(remaining, stoppingToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private void Add(SpoolBatch read)
    {
        foreach (var record in read.Records)
        {
            if (_batch.Items >= _options.MaxBatchItems)
            {
                // Full: leave this record (not yet parsed) for the next batch.
                _spool.Rewind(record.Position);
                _batch.EndPosition = record.Position;
                return;
            }

            Convert(record);
            _batch.Records++;
            _batch.Bytes += record.Length;
            _batch.Replayed |= record.Replayed;
        }

        _batch.EndPosition = read.EndPosition;
    }

    private void Convert(in SpoolRecord record)
    {
        var spans = _batch.Spans.Count;
        var logs = _batch.Logs.Count;
        try
        {
            if (record.Type == SignalType.Traces)
            {
                OtlpSpans.ToModel(ExportTraceServiceRequest.Parser.ParseFrom(record.Payload.Span), _batch.Spans);
            }
            else
            {
                // The record id makes log ids stable: a replayed record yields the same ids, and the store dedups.
                OtlpLogs.ToModel(ExportLogsServiceRequest.Parser.ParseFrom(record.Payload.Span), record.Id, _batch.Logs);
            }
        }
        catch (Exception ex)
        {
            // Validated before it was spooled, so this is a bug or disk damage; skipping keeps the pipeline moving.
            _batch.Spans.RemoveRange(spans, _batch.Spans.Count - spans);
            _batch.Logs.RemoveRange(logs, _batch.Logs.Count - logs);
            _metrics.DrainSkipped();
            LogRecordSkipped(_logger, record.Id, record.Type, record.Position, ex);
        }
    }

    private async Task<bool> WaitForDataAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        if (_spool.HasUnread)
        {
            return true;
        }

        using var timeoutSource = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeoutSource.Token);
        try
        {
            await _spool.WaitForDataAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task WriteAsync(CancellationToken stoppingToken)
    {
        var mode = _batch.Replayed ? WriteMode.Replay : WriteMode.First;
        var spansWritten = _batch.Spans.Count == 0;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeoutSource = _options.WriteTimeout == Timeout.InfiniteTimeSpan
                    ? null
                    : new CancellationTokenSource(_options.WriteTimeout, _timeProvider);
                using var linked = timeoutSource is null ? null : CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeoutSource.Token);
                var token = linked?.Token ?? stoppingToken;
                if (!spansWritten)
                {
                    await _store.SpanWriter.WriteSpansAsync(_batch.Spans, mode, token).ConfigureAwait(false);
                    spansWritten = true;
                }

                if (_batch.Logs.Count > 0)
                {
                    await _store.LogWriter.WriteLogsAsync(_batch.Logs, mode, token).ConfigureAwait(false);
                }

                _metrics.Written(traces: true, _batch.Spans.Count);
                _metrics.Written(traces: false, _batch.Logs.Count);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A failed or timed-out write may have partly landed: every retry is a replay.
                mode = WriteMode.Replay;
                _metrics.WriteRetried();
                var delay = Backoff.Delay(attempt, _options.MinBackoff, _options.MaxBackoff, Random.Shared.NextDouble());
                if (ex is StoreUnavailableException)
                {
                    LogStoreUnavailable(_logger, _store.Name, attempt, delay, ex);
                }
                else
                {
                    LogWriteFailed(_logger, _store.Name, attempt, delay, ex);
                }

                await Task.Delay(delay, _timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void Commit()
    {
        try
        {
            _spool.Commit(_batch.EndPosition);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The store has the data; a later commit covers this range, and until then a restart merely replays it.
            LogCommitFailed(_logger, ex);
        }
    }
}
