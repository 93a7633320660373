using System.Diagnostics;
using Mesh.Bench.Baseline;
using Mesh.Bench.Processes;
using Mesh.Testing;

namespace Mesh.Bench.Ingest;

/// <summary>
/// <c>bench ingest</c>: a private clickhouse-server when the store needs one, a real <c>mesh up</c> process, OTLP/HTTP
/// load from several clients, then the vendor's bulk load of the very rows Mesh stored, on the same machine in the
/// same run. Mesh is stopped before the baseline so the two never share the CPU.
/// </summary>
internal static class IngestBenchmark
{
    private const string Database = "mesh";

    /// <summary>Mesh's default SQLite page cache (SqliteStoreOptions.CacheSizeKiB), given to the sqlite3 shell too.</summary>
    private const int SqliteCacheSizeKiB = 64 * 1024;

    public static async Task<IngestBenchmarkResult> RunAsync(IngestSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("mesh-bench-ingest-").FullName;
        using var clickHouse = settings.IsClickHouse ? new ClickHouseServer() : null;
        try
        {
            if (clickHouse is not null)
            {
                await log.WriteLineAsync("starting clickhouse-server").ConfigureAwait(false);
                await clickHouse.StartAsync().ConfigureAwait(false);
            }

            return await RunAsync(settings, clickHouse, work, log, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<IngestBenchmarkResult> RunAsync(IngestSettings settings, ClickHouseServer? clickHouse, string work, TextWriter log, CancellationToken cancellationToken)
    {
        var serverGc = MeshBuild.ShipsWithServerGc();
        string[] storeArgs = clickHouse is null
            ? ["--store", "sqlite"]
            : ["--store", "clickhouse", "--clickhouse-url", clickHouse.HttpUrl.ToString(), "--clickhouse-database", Database];
        await log.WriteLineAsync($"starting mesh up ({MeshBuild.Configuration} build, {(serverGc ? "server" : "workstation")} GC, store {settings.Store})").ConfigureAwait(false);
        var mesh = await MeshProcess.StartAsync(
            dataDir: Path.Combine(work, "mesh"),
            extraArgs: storeArgs,
            environment: new Dictionary<string, string> { ["DOTNET_gcServer"] = serverGc ? "1" : "0" }).ConfigureAwait(false);
        await using (mesh.ConfigureAwait(false))
        {
            var meshPid = ProcessCpu.Find("mesh.dll", mesh.DataDir);
            var clickHousePid = clickHouse is null ? (int?)null : ProcessCpu.Find("clickhouse", $"--path={clickHouse.DataDir}/");

            if (settings.WarmupSeconds > 0)
            {
                // JIT tiering, connection pools, the first ClickHouse parts: none of that belongs in the measurement.
                await log.WriteLineAsync($"warm-up: {settings.WarmupSeconds} s").ConfigureAwait(false);
                await Load(settings, mesh, settings.WarmupSeconds, TextWriter.Null, cancellationToken).ConfigureAwait(false);
            }

            await log.WriteLineAsync($"load: {settings.Clients} clients x {settings.SpansPerRequest} spans/request for {settings.Seconds} s").ConfigureAwait(false);
            using var chAdmin = clickHouse is null ? null : new ClickHouseAdmin(clickHouse.HttpUrl);
            var eventsBefore = chAdmin is null ? null : await chAdmin.EventsAsync(ClickHouseAdmin.MergeEvents, cancellationToken).ConfigureAwait(false);
            var meshBefore = ProcessCpu.Read(meshPid);
            var clickHouseBefore = clickHousePid is { } p1 ? ProcessCpu.Read(p1) : null;
            var selfBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var load = await Load(settings, mesh, settings.Seconds, log, cancellationToken).ConfigureAwait(false);
            var meshCpu = ProcessCpu.Read(meshPid) - meshBefore ?? throw new InvalidOperationException($"mesh up exited during the load:\n{mesh.Output}");
            var clickHouseCpu = clickHousePid is { } p2 ? ProcessCpu.Read(p2) - clickHouseBefore : null;
            var loadGeneratorCpu = Process.GetCurrentProcess().TotalProcessorTime - selfBefore;
            await log.WriteLineAsync(Report.Ingest(load)).ConfigureAwait(false);
            if (chAdmin is not null)
            {
                var eventsAfter = await chAdmin.EventsAsync(ClickHouseAdmin.MergeEvents, cancellationToken).ConfigureAwait(false);
                await log.WriteLineAsync($"clickhouse-server during Mesh's load and drain: {ClickHouseAdmin.MergeWork(eventsBefore!, eventsAfter)}").ConfigureAwait(false);
            }

            // A graceful stop checkpoints and closes the SQLite file, and frees the CPU for the baseline.
            await log.WriteLineAsync("stopping mesh up").ConfigureAwait(false);
            await mesh.StopAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);

            await log.WriteLineAsync("baseline: the vendor's bulk load of the same rows").ConfigureAwait(false);
            var baselineDir = Directory.CreateDirectory(Path.Combine(work, "baseline")).FullName;
            BaselineResult baseline;
            if (clickHouse is null)
            {
                baseline = await new SqliteBaseline(baselineDir, SqliteCacheSizeKiB, log)
                    .RunAsync(Path.Combine(mesh.DataDir, "mesh.db"), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                using var admin = new ClickHouseAdmin(clickHouse.HttpUrl);
                baseline = await new ClickHouseBaseline(admin, clickHouse.TcpPort, clickHousePid!.Value, baselineDir, log)
                    .RunAsync(Database, cancellationToken).ConfigureAwait(false);
            }

            return new IngestBenchmarkResult(settings, load, baseline, meshCpu, clickHouseCpu, loadGeneratorCpu, MeshBuild.Configuration, serverGc);
        }
    }

    private static Task<IngestResult> Load(IngestSettings settings, MeshProcess mesh, int seconds, TextWriter log, CancellationToken cancellationToken) =>
        IngestLoad.RunAsync(mesh.OtlpHttpUrl, mesh.ApiUrl, MeshProcess.IngestToken, settings.Clients, TimeSpan.FromSeconds(seconds), settings.SpansPerRequest, log, cancellationToken);
}
