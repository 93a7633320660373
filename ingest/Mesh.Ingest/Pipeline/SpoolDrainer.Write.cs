using Mesh.Core.Storage;

namespace Mesh.Ingest.Pipeline;

/// <summary>The second stage: writing one batch to the store, retried until the store has it.</summary>
public sealed partial class SpoolDrainer
{
    /// <summary>
    /// Writes <paramref name="batch"/>, retrying with backoff until the store has all of it; ends otherwise only by
    /// throwing once <paramref name="stoppingToken"/> is cancelled. Runs beside the drain loop, so it touches
    /// nothing but the batch it is given, the store and the metrics: never the spool or the drainer's buffers.
    /// </summary>
    private async Task WriteAsync(DrainBatch batch, CancellationToken stoppingToken)
    {
        var mode = batch.Replayed ? WriteMode.Replay : WriteMode.First;
        var spansWritten = batch.SpanCount == 0;
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
                    if (batch.SpanRequests.Count > 0)
                    {
                        var skipped = await _otlpSpans!.WriteOtlpAsync(batch.SpanRequests, mode, token).ConfigureAwait(false);
                        if (skipped > 0)
                        {
                            _metrics.DrainSkipped(skipped);
                            LogRequestsSkipped(_logger, _store.Name, skipped);
                        }
                    }

                    if (batch.Spans.Count > 0)
                    {
                        await _store.SpanWriter.WriteSpansAsync(batch.Spans, mode, token).ConfigureAwait(false);
                    }

                    spansWritten = true;
                }

                if (batch.Logs.Count > 0)
                {
                    await _store.LogWriter.WriteLogsAsync(batch.Logs, mode, token).ConfigureAwait(false);
                }

                await NotifyObserversAsync(batch, mode, stoppingToken).ConfigureAwait(false);
                _metrics.Written(traces: true, batch.SpanCount);
                _metrics.Written(traces: false, batch.Logs.Count);
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
}
