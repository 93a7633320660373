using System.Diagnostics;
using System.Globalization;
using Mesh.ControlPlane.Client;
using Mesh.ControlPlane.Client.Contracts;
using Mesh.Proxy.ControlPlane;
using Mesh.Testing;

namespace Mesh.Bench.ControlPlane;

/// <summary>
/// Push latency with real proxies: a real <c>mesh up</c> and N real sidecars (Mesh.Proxy's <see cref="Sidecar"/>, the
/// code <c>mesh proxy --control-plane</c> runs: a CA certificate from a CSR, one NDJSON watch, Kestrel inbound and
/// outbound listeners, an endpoint lease), hosted in this one process. R applies of a changed split; per round it
/// times apply-request-sent → every proxy's running config has the new split (applied), and → the control plane
/// lists every proxy as having ACKed the version it applied. The apply request's own round trip, measured in the
/// same round, is the peer. CPU time of the control plane and of the proxies' process per apply is printed too.
/// With <c>--processes</c> each proxy is instead its own <c>mesh proxy --control-plane</c> process (the deployment's
/// shape); applied is then known from the ACK, which a proxy sends only once the snapshot runs.
/// Usage: <c>dotnet bench/Mesh.Bench.ControlPlane/bin/Release/net10.0/Mesh.Bench.ControlPlane.dll [proxies] [rounds] [--processes]</c>
/// </summary>
internal static class Program
{
    private const string Route = "bench/api/split";

    public static async Task<int> Main(string[] args)
    {
        var processes = args.Contains("--processes");
        args = [.. args.Where(a => a != "--processes")];
        var proxies = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;

        // Each sidecar's Kestrel host would otherwise watch appsettings.json: one inotify instance per proxy, and
        // the default per-user limit is 128. Separate `mesh proxy` processes each have their own.
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        await using var mesh = await MeshProcess.StartAsync();
        using var admin = new MeshControlPlaneClient(mesh.ApiUrl, MeshProcess.AdminToken);
        var token = (await admin.CreateTokenAsync("bench", "proxy", "bench/*")).Token;
        await admin.ApplyAsync(Documents(50));
        for (var i = 0; i < 4; i++)
        {
            await admin.RegisterAsync(new RegisterEndpointRequest
            {
                Namespace = "bench", Service = "api", Address = "127.0.0.1", Port = 9000 + i, Version = i % 2 == 0 ? "v1" : "v2", ProxyId = $"api-{i}", TtlSeconds = 3600,
            });
        }

        if (processes)
        {
            return await ProxyProcesses.RunAsync(mesh, admin, token, proxies, rounds, Documents);
        }

        var startup = Stopwatch.StartNew();
        var sidecars = new Sidecar[proxies];
        using (var gate = new SemaphoreSlim(8))
        {
            await Task.WhenAll(Enumerable.Range(0, proxies).Select(async p =>
            {
                await gate.WaitAsync();
                try
                {
                    sidecars[p] = await Sidecar.StartAsync(new SidecarOptions
                    {
                        ControlPlane = mesh.ApiUrl,
                        Token = token,
                        Namespace = "bench",
                        Service = "web",
                        Version = "v1",
                        ProxyId = $"web-{p}",
                        InboundPort = FreePort.Next(),
                        OutboundPort = FreePort.Next(),
                        AppPort = FreePort.Next(),
                        LeaseTtl = TimeSpan.FromMinutes(10),
                    });
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        Console.Error.WriteLine($"{proxies} sidecars serving after {startup.Elapsed.TotalSeconds:0.0} s");
        await UntilAsync(() => sidecars.All(s => Weight(s) == 50), TimeSpan.FromSeconds(120), "every sidecar applied the first split");
        await UntilAcked(admin, sidecars, TimeSpan.FromSeconds(60));

        var applied = new List<double>();
        var acked = new List<double>();
        var request = new List<double>();
        var meshCpu = CpuMs(mesh.Pid!.Value);
        var selfCpu = CpuMs(Environment.ProcessId);
        for (var r = 0; r < rounds; r++)
        {
            var weight = 10 + (r % 2 * 20) + (r % 7);
            var clock = Stopwatch.StartNew();
            await admin.ApplyAsync(Documents(weight));
            request.Add(clock.Elapsed.TotalMilliseconds);
            await UntilAsync(() => sidecars.All(s => Weight(s) == weight), TimeSpan.FromSeconds(30), $"round {r}: every sidecar applied {weight}");
            applied.Add(clock.Elapsed.TotalMilliseconds);
            await UntilAcked(admin, sidecars, TimeSpan.FromSeconds(30));
            acked.Add(clock.Elapsed.TotalMilliseconds);
        }

        var meshCpuPerApply = (CpuMs(mesh.Pid!.Value) - meshCpu) / rounds;
        var selfCpuPerApply = (CpuMs(Environment.ProcessId) - selfCpu) / rounds;
        var statuses = await admin.ProxiesAsync();
        var synced = statuses.Count(s => s.Connected && s.AckedVersion == s.SentVersion && s.Id.StartsWith("web-", StringComparison.Ordinal));
        foreach (var sidecar in sidecars)
        {
            await sidecar.DisposeAsync();
        }

        var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
        Console.WriteLine($"| proxies | rounds | apply→all applied median | p99 | max | apply→all ACKed median | p99 | max | apply request median | ratio (applied/request) | CPU per apply: control plane / {proxies} proxies | synced at the end | load average |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {proxies} | {rounds} | {Median(applied):0.0} ms | {Percentile(applied, 0.99):0.0} ms | {applied.Max():0.0} ms | {Median(acked):0.0} ms | {Percentile(acked, 0.99):0.0} ms | {acked.Max():0.0} ms | {Median(request):0.0} ms | {Median(applied) / Median(request):0.00} | {meshCpuPerApply:0.0} ms / {selfCpuPerApply:0.0} ms | {synced}/{proxies} | {string.Join(' ', load)} |"));
        return 0;
    }

    /// <summary>The v1 weight of the split in the sidecar's running config (what its requests are routed by).</summary>
    private static int Weight(Sidecar sidecar) =>
        sidecar.Server.Config.Routes.FirstOrDefault(r => r.Name == Route) is { Split: [var v1, ..] } ? v1.Weight : -1;

    /// <summary>Until the control plane lists every sidecar as having ACKed the latest version it sent (and at least the one it runs).</summary>
    private static async Task UntilAcked(MeshControlPlaneClient admin, Sidecar[] sidecars, TimeSpan timeout)
    {
        var versions = sidecars.ToDictionary(s => s.ProxyId, s => s.AppliedVersion, StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var statuses = await admin.ProxiesAsync();
            if (statuses.Count(s => versions.TryGetValue(s.Id, out var v) && s.AckedVersion >= v && s.AckedVersion == s.SentVersion) == sidecars.Length)
            {
                return;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException("not every sidecar's ACK reached the control plane");
            }

            await Task.Delay(5);
        }
    }

    private static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Delay(1);
        }
    }

    /// <summary>utime + stime of a process from /proc (clock ticks of 10 ms).</summary>
    internal static double CpuMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    private static string Documents(int v1) => $$"""
        kind: Service
        metadata: {name: api, namespace: bench}
        spec: {ports: [{port: 8080}]}
        ---
        kind: Service
        metadata: {name: web, namespace: bench}
        spec: {ports: [{port: 8080}]}
        ---
        kind: Route
        metadata: {name: api, namespace: bench}
        spec:
          service: api
          routes:
            - name: split
              split: [{version: v1, weight: {{v1}}}, {version: v2, weight: {{100 - v1}}}]
        """;

    internal static double Median(List<double> values) => Percentile(values, 0.5);

    internal static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * (sorted.Count - 1)))];
    }
}
