using Mesh.Demo.Faults;
using Mesh.Demo.Tracing;

namespace Mesh.Demo.Hosting;

/// <summary>
/// Builds one demo service as a Kestrel app: the pipeline every service shares (trace context, faults,
/// <c>/healthz</c>, <c>/_demo/faults</c>, an upstream client through the sidecar) around the service's own endpoints.
/// </summary>
internal static class DemoServiceHost
{
    public const string ServiceHeader = "x-mesh-demo-service";

    public static WebApplication Build(DemoServiceDefinition definition, DemoServiceOptions options, TimeProvider? time = null)
    {
        var builder = DemoWebApp.CreateBuilder(options.ListenAddress, options.Port, time);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<DemoTelemetry>();
        services.AddSingleton<FaultRegistry>();
        services.AddSingleton<SimulatedWork>();
        services.AddTransient<TraceContextHandler>();
        services.AddHttpClient<UpstreamClient>(c => c.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Trace headers are ours to set (TraceContextHandler), not the runtime's from an unexported Activity.
                ActivityHeadersPropagator = null,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            })
            .AddHttpMessageHandler<TraceContextHandler>();
        definition.Register(services, options);

        var app = builder.Build();
        var identity = $"{options.Name}/{options.Version}";
        app.Use((context, next) =>
        {
            context.Response.Headers[ServiceHeader] = identity;
            return next(context);
        });
        app.UseRouting();
        app.UseMiddleware<TraceContextMiddleware>();
        app.UseMiddleware<FaultMiddleware>();

        app.MapGet("/healthz", () => Results.Json(new { status = "ok", service = options.Name, version = options.Version }, DemoJson.Options));
        app.MapFaultEndpoints();
        definition.Map(app);
        app.Lifetime.ApplicationStopping.Register(() => app.Services.GetRequiredService<DemoTelemetry>().Flush());
        return app;
    }
}
