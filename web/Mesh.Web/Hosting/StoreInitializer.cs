using Mesh.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.Web.Hosting;

/// <summary>
/// Creates or migrates the store's schema, retrying with backoff while the store is unreachable:
/// ingest keeps accepting into its spool meanwhile, and the drainer's writes succeed once this has.
/// </summary>
internal sealed partial class StoreInitializer(ITelemetryStore store, TimeProvider time, ILogger<StoreInitializer> logger) : BackgroundService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => _ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await store.InitializeAsync(stoppingToken).ConfigureAwait(false);
                LogReady(logger, store.Name);
                _ready.TrySetResult();
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRetry(logger, store.Name, delay.TotalSeconds, ex.Message);
            }

            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(15).Ticks));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {Store} is ready")]
    private static partial void LogReady(ILogger logger, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Store {Store} is not ready, retrying in {Seconds}s: {Reason}")]
    private static partial void LogRetry(ILogger logger, string store, double seconds, string reason);
}
