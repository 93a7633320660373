using Mesh.Analytics.Edges;
using Mesh.Analytics.Graph;
using Mesh.Analytics.Rollups;
using Mesh.Core.Rollups;
using Mesh.Core.Storage;
using Mesh.Storage.ClickHouse.Rollups;
using Mesh.Storage.Sqlite.Rollups;
using Mesh.Web.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.Web.Hosting;

/// <summary>
/// Composes the application map: the rollup store beside the span store, the rollup stage the drainer feeds,
/// its flusher, the graph service the API reads, and the live broadcaster.
/// </summary>
internal static class AnalyticsHosting
{
    public static IServiceCollection AddMeshAnalytics(this IServiceCollection services, MeshSettings settings, string dataDir, AnalyticsSettings analytics)
    {
        var components = settings.Components;
        if (!components.HasFlag(MeshComponents.Ingest) && !ServesMap(components))
        {
            return services;
        }

        services.AddSingleton(analytics);
        services.AddSingleton<IRollupStore>(_ => CreateRollupStore(settings, dataDir));
        services.AddSingleton<RollupStoreInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<RollupStoreInitializer>());

        // Rollups are built where the spans arrive: each ingest node adds what it stored to the shared buckets.
        if (components.HasFlag(MeshComponents.Ingest))
        {
            services.AddSingleton(sp => new RollupStage(
                sp.GetRequiredService<IRollupStore>().Writer,
                new RollupStageOptions
                {
                    FlushInterval = analytics.RollupFlushInterval,
                    NodeId = NodeId(dataDir),
                    Edges = new EdgeExtractorOptions { PairingWindow = analytics.PairingWindow },
                },
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<RollupStage>>()));
            services.AddSingleton<IIngestBatchObserver>(sp => sp.GetRequiredService<RollupStage>());
            services.AddHostedService(sp => new RollupFlusher(sp.GetRequiredService<RollupStage>(), sp.GetRequiredService<TimeProvider>()));
        }

        if (ServesMap(components))
        {
            services.AddSingleton(sp => new GraphService(sp.GetRequiredService<IRollupStore>().Reader, analytics.Health));
            services.AddSignalR();
            services.AddSingleton<LiveSubscriptions>();
            services.AddSingleton<LivePusher>();
            services.AddHostedService<GraphBroadcaster>();
        }

        return services;
    }

    /// <summary>The map's API and live hub run with analytics, and with the web UI, whose map view reads them from its own origin.</summary>
    public static bool ServesMap(MeshComponents components) =>
        components.HasFlag(MeshComponents.Analytics) || components.HasFlag(MeshComponents.Web);

    public static IRollupStore CreateRollupStore(MeshSettings settings, string dataDir) => settings.Store switch
    {
        StoreKind.ClickHouse => new ClickHouseRollupStore(StoreFactory.ClickHouseOptions(settings)),
        _ => new SqliteRollupStore(StoreFactory.SqliteOptions(dataDir)),
    };

    /// <summary>A name for this ingest node that survives restarts (part of every rollup contribution id).</summary>
    private static string NodeId(string dataDir)
    {
        var file = Path.Combine(dataDir, "node-id");
        if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } id)
        {
            return id;
        }

        id = $"{Environment.MachineName}-{Guid.NewGuid():N}";
        File.WriteAllText(file, id);
        return id;
    }

    /// <summary>Creates the rollup tables, retrying while the store is unreachable (the flusher keeps its rows meanwhile).</summary>
    internal sealed class RollupStoreInitializer(IRollupStore store, TimeProvider time, ILogger<RollupStoreInitializer> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var delay = TimeSpan.FromMilliseconds(250);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await store.InitializeAsync(stoppingToken).ConfigureAwait(false);
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning("Rollup store is not ready, retrying in {Seconds}s: {Reason}", delay.TotalSeconds, ex.Message);
                }

                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(15).Ticks));
            }
        }
    }
}
