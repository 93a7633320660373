namespace Mesh.Demo.Services.Inventory;

/// <summary>
/// The warehouse: every interval, SKUs that ran low are topped up, so a demo left running for days keeps
/// selling instead of turning every checkout into "out of stock".
/// </summary>
internal sealed class Restocker(InventoryStore store, TimeProvider time, ILogger<Restocker> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    public const int Threshold = 25;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await store.RestockAsync(Threshold, stoppingToken).ConfigureAwait(false);
                }
                catch (Microsoft.Data.Sqlite.SqliteException ex)
                {
                    logger.LogWarning(ex, "restock failed; trying again next interval");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
