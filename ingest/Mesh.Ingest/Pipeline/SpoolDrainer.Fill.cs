using Mesh.Ingest.Spool;
using Mesh.Otlp.Conversion;
using Mesh.Otlp.Proto.Collector.Logs;
using Mesh.Otlp.Proto.Collector.Trace;
using Mesh.Otlp.Wire;

namespace Mesh.Ingest.Pipeline;

/// <summary>The first stage: reading spool records into <see cref="_filling"/> and converting them to the core model.</summary>
public sealed partial class SpoolDrainer
{
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
            // The spool's disk failed us. Settle the writes in flight first (rare, so waiting costs nothing): then
            // everything before this batch is committed and the batch can simply be read again from its start. Its
            // start, not an older commit: what lies before it is in the store, and re-reading that would rewrite it
            // as a first write.
            LogReadFailed(_logger, ex);
            await FinishAllWritesAsync().ConfigureAwait(false);
            _spool.Rewind(_filling.StartPosition);
            _filling.Reset(_filling.StartPosition);

            // A pause rather than a spin while the disk is bad.
            await Task.Delay(_options.MaxBackoff, _timeProvider, stoppingToken).ConfigureAwait(false);
            return false;
        }
    }

    private async Task FillAsync(CancellationToken stoppingToken)
    {
        _filling.Reset(_spool.ReadPosition);
        long firstReadAt = 0;
        while (_filling.Records < _options.MaxBatchRecords && _filling.Bytes < _options.MaxBatchBytes && _filling.Items < _options.MaxBatchItems)
        {
            var wasEmpty = _filling.IsEmpty;
            bool gotAny;
            using (var read = ReadSpool(_spool, _options.MaxBatchRecords - _filling.Records, (int)(_options.MaxBatchBytes - _filling.Bytes)))
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

            if (_filling.IsEmpty)
            {
                await WaitForDataAsync(Timeout.InfiniteTimeSpan, stoppingToken).ConfigureAwait(false);
                continue;
            }

            // Linger a little for more: fewer, larger store writes are far cheaper than many small ones.
            var remaining = _options.MaxBatchWait - _timeProvider.GetElapsedTime(firstReadAt);
            if (remaining > TimeSpan.Zero && await WaitForDataAsync(remaining, stoppingToken).ConfigureAwait(false))
            {
                continue;
            }

            // While every write slot is taken the batch could not go anyway: it keeps growing until one frees up
            // (or it is full), rather than go out small the moment one does and leave the backlog to the next.
            CommitIfWritten();
            if (_writes.Count < _options.MaxWritesInFlight)
            {
                return;
            }

            await WaitForDataAsync(Timeout.InfiniteTimeSpan, stoppingToken).ConfigureAwait(false);
        }
    }

    private void Add(SpoolBatch read)
    {
        foreach (var record in read.Records)
        {
            if (_filling.Items >= _options.MaxBatchItems)
            {
                // Full: leave this record (not yet parsed) for the next batch.
                _spool.Rewind(record.Position);
                _filling.EndPosition = record.Position;
                return;
            }

            Convert(record);
            _filling.Records++;
            _filling.Bytes += record.Length;
            _filling.Replayed |= record.Replayed;
        }

        _filling.EndPosition = read.EndPosition;
    }

    private void Convert(in SpoolRecord record)
    {
        var spans = _filling.Spans.Count;
        var logs = _filling.Logs.Count;
        try
        {
            if (record.Type == SignalType.Traces && _otlpSpans is not null)
            {
                KeepRequest(record.Payload.Span);
            }
            else if (record.Type == SignalType.Traces)
            {
                OtlpSpans.ToModel(ExportTraceServiceRequest.Parser.ParseFrom(record.Payload.Span), _filling.Spans);
            }
            else
            {
                // The record id makes log ids stable: a replayed record yields the same ids, and the store dedups.
                OtlpLogs.ToModel(ExportLogsServiceRequest.Parser.ParseFrom(record.Payload.Span), record.Id, _filling.Logs);
            }
        }
        catch (Exception ex)
        {
            // Validated before it was spooled, so this is a bug or disk damage; skipping keeps the pipeline moving.
            _filling.Spans.RemoveRange(spans, _filling.Spans.Count - spans);
            _filling.Logs.RemoveRange(logs, _filling.Logs.Count - logs);
            _metrics.DrainSkipped();
            LogRecordSkipped(_logger, record.Id, record.Type, record.Position, ex);
        }
    }

    /// <summary>
    /// Keeps a trace request as it is, for a store that encodes OTLP itself, sized by a count of its span fields
    /// (outer levels only: it was validated on receipt and is checksummed in the spool). A record whose outer levels
    /// do not even read is skipped here; the store skips, and reports, one that fails deeper.
    /// </summary>
    private void KeepRequest(ReadOnlySpan<byte> payload)
    {
        if (!OtlpTraceWire.TryCountSpans(payload, out var count))
        {
            throw new InvalidDataException("The spooled trace request is not a readable ExportTraceServiceRequest.");
        }

        _filling.SpanRequests.Add(_filling.Arena.Copy(payload));
        _filling.RequestSpans += count;
    }

    /// <summary>
    /// Waits until unread records arrive (true), or <paramref name="timeout"/> passes (false). A write that
    /// finishes meanwhile is committed at once, rather than when the next record arrives (an idle spool would
    /// otherwise never see its last batch committed), and ends the wait with true so the caller looks again.
    /// </summary>
    private async Task<bool> WaitForDataAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        CommitIfWritten();
        if (_spool.HasUnread)
        {
            return true;
        }

        using var timeoutSource = timeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(timeout, _timeProvider);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeoutSource?.Token ?? CancellationToken.None);
        var data = _spool.WaitForDataAsync(wait.Token).AsTask();
        // The oldest write finishing since CommitIfWritten above counts too (listed first, it wins a tie): waiting on
        // data alone would leave its batch uncommitted until the next record arrives, and a drain waiter hanging. A
        // write that failed only does so when stopping, and the stopping token ends the data wait.
        if (_writes.TryPeek(out var oldest) && oldest.Write is var write && (write.IsCompletedSuccessfully || !write.IsCompleted) && await Task.WhenAny(write, data).ConfigureAwait(false) == write)
        {
            // Cancel and collect the spool wait, so no waiter is left behind to take a later wake-up.
            await wait.CancelAsync().ConfigureAwait(false);
            await data.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            CommitIfWritten();
            return true;
        }

        try
        {
            await data.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
