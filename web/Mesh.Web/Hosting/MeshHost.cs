using System.Globalization;
using System.Net;
using System.Text;
using Mesh.ControlPlane;
using Mesh.ControlPlane.Access;
using Mesh.ControlPlane.Api;
using Mesh.Core.Metadata;
using Mesh.Core.Storage;
using Mesh.Ingest;
using Mesh.Ingest.Hosting;
using Mesh.Proxy;
using Mesh.Ingest.Pipeline;
using Mesh.Ingest.Receivers;
using Mesh.Ingest.Spool;
using Mesh.Web.Api;
using Mesh.Web.Demo;
using Mesh.Web.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.Web.Hosting;

/// <summary>
/// Composes a Mesh process: three Kestrel ports (API, OTLP/HTTP, OTLP/gRPC h2c), the spool, the drainer and the
/// store, the control plane, the map and the web UI, or the subset <see cref="MeshSettings.Components"/> names
/// (the API port, with /healthz and /metrics, always listens). Only the host knows every component; the components
/// know only the core seams.
/// </summary>
internal static class MeshHost
{
    public static async Task<int> RunAsync(MeshSettings settings, CancellationToken cancellationToken)
    {
        var dataDir = Path.GetFullPath(settings.DataDir);
        Directory.CreateDirectory(dataDir);
        MeshTokens tokens;
        try
        {
            tokens = MeshTokens.Resolve(settings, dataDir);
            _ = AnalyticsSettings.FromEnvironment(Environment.GetEnvironmentVariable);
        }
        catch (SettingsException ex)
        {
            await Console.Error.WriteLineAsync($"mesh up: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        await using var store = StoreFactory.Create(settings, dataDir);
        await using var metadata = MetadataFactory.Create(settings, dataDir);
        try
        {
            await metadata.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or StoreUnavailableException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"mesh up: metadata store ({MetadataFactory.Describe(settings, dataDir)}): {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        var app = Build(settings, tokens, dataDir, store, metadata);
        try
        {
            if (settings.Components.HasFlag(MeshComponents.ControlPlane))
            {
                await app.Services.InitializeControlPlaneAsync(tokens.AdminToken, cancellationToken).ConfigureAwait(false);
            }

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync($"mesh up: cannot listen: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        Console.WriteLine(Banner.Format(settings, tokens, dataDir, StoreFactory.Describe(settings, dataDir), MetadataFactory.Describe(settings, dataDir)));
        var demo = !settings.Components.HasFlag(MeshComponents.ControlPlane) ? null : await DemoHosting.StartAsync(settings, tokens, dataDir, app, cancellationToken).ConfigureAwait(false);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);

        // Normally already stopped when shutdown began (DemoHosting); this covers a start that raced with it.
        if (demo is not null)
        {
            await demo.DisposeAsync().ConfigureAwait(false);
        }

        await app.DisposeAsync().ConfigureAwait(false);
        return 0;
    }

    internal static WebApplication Build(MeshSettings settings, MeshTokens tokens, string dataDir, ITelemetryStore store, IMetadataStore metadata)
    {
        var components = settings.Components;
        var builder = QuietWebApplication.CreateBuilder();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));

        var address = IPAddress.Parse(settings.ListenAddress);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // OTLP bodies are read under the ingest limit by the receivers themselves (with a clear 413);
            // Kestrel's own cap only has to be above it.
            kestrel.Limits.MaxRequestBodySize = Math.Max(30_000_000L, settings.MaxRequestBytes + 1024L);
            kestrel.Listen(address, settings.Port, o => o.Protocols = HttpProtocols.Http1);
            if (components.HasFlag(MeshComponents.Ingest))
            {
                kestrel.Listen(address, settings.OtlpHttpPort, o => o.Protocols = HttpProtocols.Http1);

                // gRPC over cleartext needs HTTP/2 with prior knowledge (h2c): only an Http2-only endpoint offers it.
                kestrel.Listen(address, settings.OtlpGrpcPort, o => o.Protocols = HttpProtocols.Http2);
            }
        });

        var metrics = new IngestMetrics();
        var ingestOptions = new IngestOptions { MaxRequestBytes = settings.MaxRequestBytes, Tokens = [tokens.IngestToken] };
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(metrics);
        services.AddSingleton(ingestOptions);
        services.AddSingleton(store);
        if (components.HasFlag(MeshComponents.Ingest) || components.HasFlag(MeshComponents.Web))
        {
            services.AddSingleton<StoreInitializer>();
            services.AddHostedService(sp => sp.GetRequiredService<StoreInitializer>());
        }

        services.AddSingleton(metadata);
        if (components.HasFlag(MeshComponents.ControlPlane))
        {
            services.AddControlPlane(ControlPlaneSettings.From(settings, tokens, dataDir));
            services.AddSingleton<DemoState>();
        }
        else
        {
            // Every API checks bearer tokens against the shared metadata store; only the control plane manages them.
            services.AddSingleton<TokenService>();
        }

        services.AddMeshAnalytics(settings, dataDir, AnalyticsSettings.FromEnvironment(Environment.GetEnvironmentVariable));
        if (components.HasFlag(MeshComponents.Ingest))
        {
            AddIngest(services, settings, dataDir);
        }

        var app = builder.Build();
        if (components.HasFlag(MeshComponents.Ingest))
        {
            app.MapOtlpHttp(settings.OtlpHttpPort);
            app.MapOtlpGrpc(settings.OtlpGrpcPort);
        }

        var apiHost = $"*:{settings.Port.ToString(CultureInfo.InvariantCulture)}";
        var api = app.MapGroup("/api/v1").RequireHost(apiHost);
        var telemetry = api.MapGroup("");
        telemetry.AddEndpointFilter(new RequireRole(Roles.Viewer));
        telemetry.AddEndpointFilter(new ApiErrors());
        if (components.HasFlag(MeshComponents.Web))
        {
            telemetry.MapTelemetryApi();
        }

        if (AnalyticsHosting.ServesMap(components))
        {
            telemetry.MapAnalyticsApi();
            app.MapLiveHub(apiHost);
        }

        if (components.HasFlag(MeshComponents.ControlPlane))
        {
            api.MapControlPlaneApi();
            api.MapDemoApi();
        }

        app.MapGet("/healthz", () => Results.Text("ok")).RequireHost(apiHost);
        app.MapGet("/metrics", (IngestMetrics m) =>
        {
            var text = new StringBuilder();
            m.WritePrometheus(text);
            return Results.Text(text.ToString(), "text/plain; version=0.0.4; charset=utf-8");
        }).RequireHost(apiHost);
        if (components.HasFlag(MeshComponents.Web))
        {
            app.MapWebUi(settings.Port, apiHost, WebUi.DefaultDirectory);
        }

        return app;
    }

    private static void AddIngest(IServiceCollection services, MeshSettings settings, string dataDir)
    {
        services.AddIngestPipeline(
            new SpoolOptions
            {
                Directory = Path.Combine(dataDir, "spool"),
                MaxBytes = settings.SpoolMaxBytes,
            },
            new DrainerOptions
            {
                // SQLite: smaller batches keep two in flight (one converting, one inserting) without long GC
                // pauses; measured 46-58k -> 65-69k spans/s drained. ClickHouse wants few, large inserts (every
                // insert is a part per table to merge later); its writer streams rows from the spooled bytes, so a
                // batch costs little more than those bytes (up to 64 MiB each), and two writes at once overlap the
                // drainer's encoding (and rollup walk) of one batch with the server's work on the other.
                MaxBatchItems = settings.DrainBatchItems ?? MeshSettings.DrainDefaults(settings.Store).BatchItems,
                MaxWritesInFlight = settings.DrainWrites ?? MeshSettings.DrainDefaults(settings.Store).Writes,
                MaxBatchBytes = settings.Store == StoreKind.Sqlite ? new DrainerOptions().MaxBatchBytes : 64 << 20,
            });
        services.AddSingleton<OtlpIngestService>();
    }
}
