using System.Text.Json;
using Mesh.Demo.Hosting;

namespace Mesh.Demo.Load;

/// <summary>
/// The load generator as a process: the runner in the background, and its own small admin API —
/// <c>/healthz</c>, <c>/stats</c> (counts by journey) and <c>GET|POST|DELETE /_demo/spike</c>.
/// </summary>
internal static class LoadHost
{
    public static WebApplication Build(LoadOptions options, TimeProvider? time = null, Random? random = null)
    {
        var builder = DemoWebApp.CreateBuilder(options.ListenAddress, options.AdminPort, time);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(random ?? new Random());
        services.AddSingleton<LoadStats>();
        services.AddSingleton<SpikeControl>();
        services.AddSingleton(_ => new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.MaxConcurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            BaseAddress = options.Target,
            Timeout = TimeSpan.FromSeconds(15),
        });
        services.AddSingleton(sp => new StoreJourneys(sp.GetRequiredService<HttpClient>(), sp.GetRequiredService<LoadStats>(), options.HostHeader));
        services.AddSingleton<LoadRunner>();
        services.AddHostedService<LoadRunnerService>();

        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Json(new { status = "ok", service = "load" }, DemoJson.Options));
        app.MapGet("/stats", (LoadStats stats, LoadRunner runner, SpikeControl spike) =>
            Results.Json(stats.Snapshot(runner.CurrentRps, spike.Current), DemoJson.Options));
        app.MapGet("/_demo/spike", (SpikeControl spike) => Results.Json(new { spike = spike.Current }, DemoJson.Options));
        app.MapDelete("/_demo/spike", (SpikeControl spike) =>
        {
            spike.Stop();
            return Results.NoContent();
        });
        app.MapPost("/_demo/spike", async (HttpRequest request, SpikeControl spike) =>
        {
            var (body, error) = await JsonBody.ReadAsync<JsonElement?>(request).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            return SpikeRequestParser.TryParse(body!.Value, out var multiplier, out var duration, out var message)
                ? Results.Json(new { spike = spike.Start(multiplier, duration) }, DemoJson.Options, statusCode: StatusCodes.Status201Created)
                : JsonBody.BadRequest(message);
        });
        return app;
    }

    /// <summary>Runs the generator for the host's lifetime.</summary>
    private sealed class LoadRunnerService(LoadRunner runner) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => runner.RunAsync(stoppingToken);
    }
}
