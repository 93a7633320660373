using Microsoft.Extensions.Hosting;

namespace Mesh.Analytics.Rollups;

/// <summary>Flushes the <see cref="RollupStage"/> every <see cref="RollupStageOptions.FlushInterval"/>, and once more at shutdown.</summary>
public sealed class RollupFlusher(RollupStage stage, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(stage.Options.FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushOnceAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the final flush is StopAsync's.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await stage.FlushAllAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            stage.LogFlushFailed(ex);
        }
    }

    private async Task FlushOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await stage.FlushAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            stage.LogFlushFailed(ex);
        }
    }
}
