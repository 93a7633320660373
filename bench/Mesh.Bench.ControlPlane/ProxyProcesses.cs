using System.Diagnostics;
using System.Globalization;
using Mesh.ControlPlane.Client;
using Mesh.ControlPlane.Client.Contracts;
using Mesh.Testing;

namespace Mesh.Bench.ControlPlane;

/// <summary>
/// The push bench with every proxy its own <c>mesh proxy --control-plane</c> process. Per round: apply-request-sent →
/// the control plane lists every proxy as having ACKed the version it was last sent, and that version is newer than
/// the one before the apply (a proxy ACKs a snapshot only after it runs it). CPU per apply is summed over the control
/// plane and all proxy processes from /proc; memory is each proxy's PSS.
/// </summary>
internal static class ProxyProcesses
{
    public static async Task<int> RunAsync(MeshProcess mesh, MeshControlPlaneClient admin, string token, int proxies, int rounds, Func<int, string> documents)
    {
        // MESH_BENCH_PROXY_DLL: another build of mesh.dll for the proxies (e.g. a ReadyToRun publish), same control plane.
        var meshDll = Environment.GetEnvironmentVariable("MESH_BENCH_PROXY_DLL") is { Length: > 0 } other ? other : Path.Combine(AppContext.BaseDirectory, "mesh.dll");
        var logs = Directory.CreateTempSubdirectory("mesh-push-bench-");
        var started = new List<Process>();
        try
        {
            var startup = Stopwatch.StartNew();

            // A few at a time: each is a runtime start (JIT), and 100 at once only queue on two cores.
            for (var p = 0; p < proxies; p++)
            {
                started.Add(Start(meshDll, mesh.ApiUrl, token, logs.FullName, p));
                if (started.Count % 4 == 0)
                {
                    await UntilAsync(admin, s => s.Count(x => x.AckedVersion > 0) >= started.Count - 4, TimeSpan.FromMinutes(2), started, logs.FullName);
                }
            }

            var baseline = await UntilAsync(admin, s => s.Count == proxies && s.All(x => x.Connected && x.AckedVersion > 0 && x.AckedVersion == x.SentVersion), TimeSpan.FromMinutes(3), started, logs.FullName);
            Console.Error.WriteLine($"{proxies} proxy processes connected and ACKed after {startup.Elapsed.TotalSeconds:0.0} s");

            // What the proxies cost doing nothing (timers, lease renewals, telemetry polls), before any apply, once the
            // start-up's background JIT has settled.
            var idleSeconds = int.TryParse(Environment.GetEnvironmentVariable("MESH_BENCH_IDLE_SECONDS"), CultureInfo.InvariantCulture, out var i) ? i : 10;
            await Task.Delay(TimeSpan.FromSeconds(15));
            var pids = started.Select(p => p.Id).ToList();
            Console.Error.WriteLine($"measuring idle CPU for {idleSeconds} s; proxy pids {string.Join(' ', pids.Take(3))} …");
            var idleBefore = pids.Sum(Program.CpuMs);
            await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
            var idleCores = (pids.Sum(Program.CpuMs) - idleBefore) / (idleSeconds * 1000.0);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"idle: the {proxies} proxies use {idleCores:0.000} cores together ({idleCores * 1000 / proxies:0.00} ms of CPU per proxy per second)"));

            var acked = new List<double>();
            var request = new List<double>();
            var meshCpu = Program.CpuMs(mesh.Pid!.Value);
            var proxyCpu = pids.Sum(Program.CpuMs);
            var last = baseline.ToDictionary(s => s.Id, s => s.AckedVersion, StringComparer.Ordinal);
            for (var r = 0; r < rounds; r++)
            {
                var weight = 10 + (r % 2 * 20) + (r % 7);
                var clock = Stopwatch.StartNew();
                await admin.ApplyAsync(documents(weight));
                request.Add(clock.Elapsed.TotalMilliseconds);
                var now = await UntilAsync(
                    admin,
                    s => s.Count == proxies && s.All(x => x.AckedVersion > last[x.Id] && x.AckedVersion == x.SentVersion),
                    TimeSpan.FromSeconds(30),
                    started,
                    logs.FullName,
                    poll: TimeSpan.FromMilliseconds(5));
                acked.Add(clock.Elapsed.TotalMilliseconds);
                last = now.ToDictionary(s => s.Id, s => s.AckedVersion, StringComparer.Ordinal);
            }

            Console.Error.WriteLine($"apply→all ACKed per round, in order (ms): {string.Join(' ', acked.Select(a => a.ToString("0", CultureInfo.InvariantCulture)))}");
            var meshCpuPerApply = (Program.CpuMs(mesh.Pid!.Value) - meshCpu) / rounds;
            var proxyCpuPerApply = (pids.Sum(Program.CpuMs) - proxyCpu) / rounds;
            var pss = pids.Select(PssMb).Order().ToList();
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"proxy CPU since start, all {proxies}: {pids.Sum(Program.CpuMs) / 1000:0.0} s ({meshDll})"));
            var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
            Console.WriteLine($"| proxies | rounds | apply→all ACKed (applied) median | p99 | max | apply request median | ratio (ACKed/request) | CPU per apply: control plane / {proxies} proxies | proxy PSS median / max | idle CPU, all proxies | start-up | load average |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {proxies} processes | {rounds} | {Program.Median(acked):0.0} ms | {Program.Percentile(acked, 0.99):0.0} ms | {acked.Max():0.0} ms | {Program.Median(request):0.0} ms | {Program.Median(acked) / Program.Median(request):0.00} | {meshCpuPerApply:0.0} ms / {proxyCpuPerApply:0.0} ms | {pss[pss.Count / 2]:0} MB / {pss[^1]:0} MB | {idleCores:0.00} cores | {startup.Elapsed.TotalSeconds:0.0} s | {string.Join(' ', load)} |"));
            return 0;
        }
        finally
        {
            foreach (var process in started)
            {
                try
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }

                process.Dispose();
            }

            logs.Delete(recursive: true);
        }
    }

    /// <summary>One <c>mesh proxy</c>, its output to a file per proxy (read on failure) rather than a pipe nobody drains.</summary>
    private static Process Start(string meshDll, Uri controlPlane, string token, string logs, int index)
    {
        // bash only redirects and then execs: the process's id is the proxy's.
        var start = new ProcessStartInfo("bash") { UseShellExecute = false };
        start.Environment["MESH_PROXY_LOG"] = Path.Combine(logs, $"web-{index}.log");
        foreach (var argument in new[]
        {
            "-c", "exec \"$@\" >\"$MESH_PROXY_LOG\" 2>&1", "bash", "dotnet",
            meshDll, "proxy", "--control-plane", controlPlane.ToString(), "--token", token,
            "--namespace", "bench", "--service", "web", "--version", "v1",
            "--inbound-port", Text(FreePort.Next()), "--app-port", Text(FreePort.Next()), "--outbound-port", Text(FreePort.Next()),
            "--lease-ttl", "10m",
        })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("mesh proxy did not start");
    }

    /// <summary>Polls the proxy list (the bench's web proxies only) until <paramref name="done"/>; a dead proxy or the timeout fails with its log.</summary>
    private static async Task<List<ProxyStatusView>> UntilAsync(
        MeshControlPlaneClient admin, Func<List<ProxyStatusView>, bool> done, TimeSpan timeout, List<Process> started, string logs, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var statuses = (await admin.ProxiesAsync()).Where(s => s.Namespace == "bench" && s.Service == "web").ToList();
            if (done(statuses))
            {
                return statuses;
            }

            var dead = started.FindIndex(p => p.HasExited);
            if (dead >= 0 || clock.Elapsed > timeout)
            {
                var which = dead >= 0 ? dead : started.Count - 1;
                var log = Path.Combine(logs, $"web-{which}.log");
                throw new TimeoutException($"{(dead >= 0 ? $"proxy web-{dead} exited" : "timed out")} ({statuses.Count} listed, {statuses.Count(s => s.AckedVersion == s.SentVersion)} synced); its log:\n{(File.Exists(log) ? File.ReadAllText(log) : "(none)")}");
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Proportional set size (shared pages split among their users), from /proc/PID/smaps_rollup.</summary>
    private static double PssMb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
        {
            if (line.StartsWith("Pss:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return 0;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
