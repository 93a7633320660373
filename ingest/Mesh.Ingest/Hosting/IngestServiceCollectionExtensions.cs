using Mesh.Ingest.Pipeline;
using Mesh.Ingest.Spool;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.Ingest.Hosting;

/// <summary>Registers the durable half of ingest: the spool the receivers append to and the drainer that empties it.</summary>
public static class IngestServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="FileSpool"/> (as <see cref="ISpoolWriter"/>) and <see cref="SpoolDrainer"/> as a hosted service.
    /// Needs <see cref="IngestMetrics"/>, <see cref="TimeProvider"/> and an <see cref="Core.Storage.ITelemetryStore"/> registered.
    /// </summary>
    public static IServiceCollection AddIngestPipeline(this IServiceCollection services, SpoolOptions spool, DrainerOptions? drainer = null)
    {
        services.AddSingleton(spool);
        services.AddSingleton(drainer ?? new DrainerOptions());
        services.AddSingleton(sp => FileSpool.Open(
            sp.GetRequiredService<SpoolOptions>(),
            sp.GetRequiredService<IngestMetrics>(),
            sp.GetRequiredService<ILogger<FileSpool>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ISpoolWriter>(sp => sp.GetRequiredService<FileSpool>());
        services.AddSingleton<SpoolDrainer>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SpoolDrainer>());
        return services;
    }
}
