using Mesh.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.Web.Demo;

/// <summary>What <c>MeshHost</c> calls: start the demo once the platform listens, and print where it is.</summary>
internal static class DemoHosting
{
    /// <summary>Starts the demo when <c>--demo</c> is set (null otherwise); errors are printed and return null.</summary>
    public static async Task<DemoRunner?> StartAsync(MeshSettings settings, MeshTokens tokens, string dataDir, WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(app);
        if (!settings.Demo.Enabled)
        {
            return null;
        }

        var host = settings.ListenAddress is "0.0.0.0" or "::" ? "127.0.0.1" : settings.ListenAddress;
        var context = new DemoContext(
            settings.Demo,
            new DemoPorts(settings.Demo.BasePort),
            Path.Combine(dataDir, "demo"),
            new Uri($"http://{host}:{settings.Port}"),
            settings.OtlpAdvertiseUrl is { } advertised ? new Uri(advertised) : new Uri($"http://{host}:{settings.OtlpHttpPort}"),
            tokens.IngestToken,
            tokens.AdminToken,
            DotnetHost(),
            AppContext.BaseDirectory);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Mesh.Demo");
        DemoRunner runner;
        try
        {
            runner = await DemoRunner.StartAsync(context, logger, app.Services.GetRequiredService<TimeProvider>(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or IOException or HttpRequestException or Mesh.ControlPlane.Client.MeshApiException)
        {
            logger.LogError("demo: cannot start: {Error}", ex.Message);
            return null;
        }

        app.Services.GetRequiredService<DemoState>().Runner = runner;

        // Stop the children as soon as shutdown begins, while ingest still takes their last spans and access logs.
        app.Lifetime.ApplicationStopping.Register(() => runner.DisposeAsync().AsTask().GetAwaiter().GetResult());
        var ports = context.Ports;
        var url = $"http://{host}:{settings.Port}";
        Console.WriteLine(string.Join(
            Environment.NewLine,
            $"Demo store starting ({Mesh.Demo.Topology.DemoTopology.Instances.Count} services, each behind a mesh proxy; {context.Settings.Sidecars.ToString().ToLowerInvariant()} sidecars; load {context.Settings.Rps} journeys/s):",
            $"  Open:          {url}/?token={Uri.EscapeDataString(tokens.AdminToken)}",
            $"  Admin token:   {tokens.AdminToken}",
            $"  Store:         curl -H 'Host: frontend' http://127.0.0.1:{ports.Outbound(DemoPorts.LoadInstance)}/api/products  (through the load generator's sidecar)",
            $"  Ports:         {ports.BasePort}-{ports.BasePort + DemoPorts.Span - 1}",
            $"  Scenarios:     mesh demo fault|kill|split|spike|scenarios|clear --server {url} --token <admin token>",
            $"  Demo data:     {context.Directory} (logs in {context.LogDirectory})",
            string.Empty));
        return runner;
    }

    /// <summary>The <c>dotnet</c> host: this process's when it runs as <c>dotnet mesh.dll</c>, else the one the SDK names or PATH's.</summary>
    private static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? self
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
    }
}
