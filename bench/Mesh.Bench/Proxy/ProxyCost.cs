using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Mesh.Proxy;
using Mesh.Proxy.Config;
using Mesh.Proxy.Configuration;

namespace Mesh.Bench.Proxy;

/// <summary>
/// The whole request path's own cost: the real proxy hosted in this process, nginx (another process) as the
/// upstream and as the OTLP sink (answers 200, discards the body), wrk (another process) as the load. Everything
/// allocated and every CPU second spent in this process during the run is the proxy's (Kestrel, stages, the
/// upstream client, the exporter), so bytes/request and CPU µs/request are stable even on a busy machine.
/// </summary>
internal static class ProxyCost
{
    public static async Task<int> RunAsync(int seconds, int connections, TextWriter log, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("mesh-proxy-cost");
        var upstream = FreePort();
        var sink = FreePort();
        var conf = Path.Combine(work.FullName, "nginx.conf");
        await File.WriteAllTextAsync(conf, $$"""
            worker_processes 1; daemon off; pid {{work.FullName}}/nginx.pid; error_log {{work.FullName}}/nginx.err;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_max_body_size 64m;
              server { listen 127.0.0.1:{{upstream}}; location / { return 200 "ok"; } }
              server { listen 127.0.0.1:{{sink}}; location / { return 200 ""; } }
            }
            """, cancellationToken).ConfigureAwait(false);
        using var nginx = Process.Start(new ProcessStartInfo("/usr/sbin/nginx", ["-c", conf, "-p", work.FullName]) { RedirectStandardError = true })!;
        try
        {
            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            foreach (var telemetry in new[] { false, true })
            {
                var result = await MeasureAsync(upstream, telemetry ? sink : null, seconds, connections, cancellationToken).ConfigureAwait(false);
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"telemetry {(telemetry ? "on " : "off")}: {result.Requests} requests, {result.BytesPerRequest:0} B allocated/request, {result.CpuMicrosPerRequest:0.0} µs CPU/request, {result.Gen0PerThousand:0.00} gen0 GCs per 1,000 requests{result.Note}")).ConfigureAwait(false);
            }
        }
        finally
        {
            nginx.Kill(entireProcessTree: true);
            await nginx.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            work.Delete(recursive: true);
        }

        return 0;
    }

    private sealed record Result(long Requests, double BytesPerRequest, double CpuMicrosPerRequest, double Gen0PerThousand, string Note);

    private static async Task<Result> MeasureAsync(int upstream, int? sink, int seconds, int connections, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var telemetry = sink is { } s ? $"telemetry: {{ otlpEndpoint: \"http://127.0.0.1:{s}\" }}" : "telemetry: {}";
        var config = ProxyConfigSerializer.FromYaml($"""
            service: {"{"} name: bench {"}"}
            listeners: [{"{"} name: main, port: {port} {"}"}]
            routes: [{"{"} name: all, cluster: up {"}"}]
            clusters: [{"{"} name: up, endpoints: [{"{"} address: 127.0.0.1, port: {upstream} {"}"}] {"}"}]
            {telemetry}
            """);
        using var source = new StaticProxyConfigSource(config);
        var server = await ProxyServer.StartAsync(source, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            // Warm-up: tier-1 code, pools and connections filled before anything is counted.
            await WrkAsync(port, 3, connections, cancellationToken).ConfigureAwait(false);
            GC.Collect();
            var bytes0 = GC.GetTotalAllocatedBytes(precise: true);
            var cpu0 = Environment.CpuUsage.TotalTime;
            var gc0 = GC.CollectionCount(0);
            var requests = await WrkAsync(port, seconds, connections, cancellationToken).ConfigureAwait(false);
            var cpu = Environment.CpuUsage.TotalTime - cpu0;
            var bytes = GC.GetTotalAllocatedBytes(precise: true) - bytes0;
            var gcs = GC.CollectionCount(0) - gc0;
            var note = sink is null ? "" : string.Create(CultureInfo.InvariantCulture, $" (exporter: {server.TelemetryStats})");
            return new Result(requests, (double)bytes / requests, cpu.TotalMicroseconds / requests, gcs * 1000.0 / requests, note);
        }
    }

    private static async Task<long> WrkAsync(int port, int seconds, int connections, CancellationToken cancellationToken)
    {
        using var wrk = Process.Start(new ProcessStartInfo("wrk", ["-t1", $"-c{connections}", $"-d{seconds}s", $"http://127.0.0.1:{port}/"]) { RedirectStandardOutput = true })!;
        var output = await wrk.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await wrk.WaitForExitAsync(cancellationToken).ConfigureAwait(false);

        // "  123456 requests in 10.00s, ..."
        var line = output.Split('\n').First(l => l.Contains(" requests in ", StringComparison.Ordinal));
        return long.Parse(line.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
