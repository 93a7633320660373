using Mesh.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Mesh.Ingest.Pipeline;

/// <summary>Hands each stored batch to the <see cref="IIngestBatchObserver"/>s before it is committed.</summary>
public sealed partial class SpoolDrainer
{
    private async ValueTask NotifyObserversAsync(DrainBatch batch, WriteMode mode, CancellationToken stoppingToken)
    {
        if (_observers.Length == 0 || batch.SpanCount == 0)
        {
            return;
        }

        var stored = new IngestedBatch(batch.Spans, batch.SpanRequests, mode);
        foreach (var observer in _observers)
        {
            try
            {
                await observer.OnBatchStoredAsync(stored, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The spans are safe in the store; an observer's failure must not hold ingest up or replay the batch.
                LogObserverFailed(_logger, observer.GetType().Name, ex);
            }
        }
    }

    [LoggerMessage(EventId = 26, Level = LogLevel.Error, Message = "Batch observer {Observer} failed; the batch is stored and committed without it")]
    private static partial void LogObserverFailed(ILogger logger, string observer, Exception exception);
}
