using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mesh.Analytics.Graph;
using Mesh.Analytics.Health;
using Mesh.Bench.Processes;
using Mesh.Core.Rollups;
using Mesh.Storage.ClickHouse;
using Mesh.Storage.ClickHouse.Rollups;
using Mesh.Storage.Sqlite;
using Mesh.Storage.Sqlite.Rollups;
using Mesh.Testing;

namespace Mesh.Bench.Graph;

/// <summary>
/// <c>graph</c>: fills a fresh rollup store with N services / M edges over H hours (every resolution, as ingest
/// writes them), then times <see cref="GraphService.GetGraphAsync"/> over a 1 h window: hour-aligned, unaligned, with
/// a cold baseline, and the same graph from 10 s rows only (the peer, for a ratio on a noisy machine).
/// </summary>
internal static class GraphCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store") { DefaultValueFactory = _ => "sqlite", Description = "sqlite or clickhouse" };
        var services = new Option<int>("--services") { DefaultValueFactory = _ => 200 };
        var edges = new Option<int>("--edges") { DefaultValueFactory = _ => 2000 };
        var hours = new Option<int>("--hours") { DefaultValueFactory = _ => 24 };
        var iterations = new Option<int>("--iterations") { DefaultValueFactory = _ => 21 };
        var peerIterations = new Option<int>("--peer-iterations") { DefaultValueFactory = _ => 5 };
        var chunk = new Option<int>("--chunk") { DefaultValueFactory = _ => 100_000, Description = "Rows per rollup write during the fill" };
        var markdown = new Option<string?>("--markdown") { Description = "Also append the result block to this file" };
        var keep = new Option<string?>("--sqlite-dir") { Description = "SQLite only: fill this directory once and reuse it in later runs (kept afterwards)" };
        var command = new Command("graph", "Fill rollups for a synthetic mesh, then time the 1 h application map.")
        {
            store, services, edges, hours, iterations, peerIterations, chunk, markdown, keep,
        };
        command.SetAction(async (parse, ct) =>
        {
            var kind = parse.GetValue(store)!;
            if (kind is not ("sqlite" or "clickhouse"))
            {
                await Console.Error.WriteLineAsync("--store must be sqlite or clickhouse").ConfigureAwait(false);
                return 2;
            }

            var text = await RunAsync(kind, parse.GetValue(services), parse.GetValue(edges), parse.GetValue(hours), parse.GetValue(iterations), parse.GetValue(peerIterations), parse.GetValue(chunk), parse.GetValue(keep), ct).ConfigureAwait(false);
            Console.WriteLine(text);
            if (parse.GetValue(markdown) is { } file)
            {
                await File.AppendAllTextAsync(file, text + "\n", ct).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static async Task<string> RunAsync(string kind, int services, int edgeCount, int hours, int iterations, int peerIterations, int chunk, string? keep, CancellationToken ct)
    {
        var dir = keep is null ? Directory.CreateTempSubdirectory("mesh-bench-graph-").FullName : Directory.CreateDirectory(keep).FullName;
        ClickHouseServer? clickhouse = null;
        try
        {
            IRollupStore store;
            if (kind == "clickhouse")
            {
                clickhouse = new ClickHouseServer();
                await clickhouse.StartAsync().ConfigureAwait(false);
                store = new ClickHouseRollupStore(new ClickHouseStoreOptions { Endpoint = clickhouse.HttpUrl, Database = "mesh_bench_graph" });
            }
            else
            {
                var options = new SqliteStoreOptions { Path = Path.Combine(dir, "mesh.db") };
                await using (var spans = new SqliteTelemetryStore(options))
                {
                    await spans.InitializeAsync(ct).ConfigureAwait(false);
                }

                store = new SqliteRollupStore(options);
            }

            await using (store.ConfigureAwait(false))
            {
                await store.InitializeAsync(ct).ConfigureAwait(false);
                var edges = GraphFill.Edges(services, edgeCount);
                var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                var end = now - (now % 3600);
                var fill = Stopwatch.StartNew();
                var marker = Path.Combine(dir, $"filled-{services}-{edgeCount}-{hours}.txt");
                long rows;
                if (kind == "sqlite" && File.Exists(marker))
                {
                    // A reused fill: its end hour and row count are in the marker.
                    var parts = (await File.ReadAllTextAsync(marker, ct).ConfigureAwait(false)).Split(' ');
                    (end, rows) = (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
                    await Console.Out.WriteLineAsync($"  reusing the fill in {dir} (ending {DateTimeOffset.FromUnixTimeSeconds(end):u})").ConfigureAwait(false);
                }
                else
                {
                    rows = await GraphFill.FillAsync(store.Writer, edges, end - (hours * 3600L), end, chunk, Console.Out, ct).ConfigureAwait(false);
                    await File.WriteAllTextAsync(marker, string.Create(CultureInfo.InvariantCulture, $"{end} {rows}"), ct).ConfigureAwait(false);
                }

                fill.Stop();
                if (clickhouse is not null)
                {
                    await WaitForMergesAsync(clickhouse.HttpUrl, "mesh_bench_graph", ct).ConfigureAwait(false);
                }

                var start = end - (hours * 3600L);

                var serverPid = clickhouse is null ? (int?)null : ProcessCpu.Find("clickhouse", $"--path={clickhouse.DataDir}/");
                var cpu = new CpuMeter(serverPid);
                var aligned = Window(end - 3600);
                var unaligned = Window(end - 3600 - 1810);
                // 12 h before the last hour when the fill is long enough, else as far back as it goes.
                var back = Math.Min(12, hours - 1);
                var past = Window(end - ((back + 1) * 3600L));
                var pastUnaligned = Window(end - ((back + 1) * 3600L) + 1810);
                var random = new Random(5);
                var earliest = start;
                GraphQuery RandomWindow()
                {
                    var s = earliest + random.NextInt64(0, Math.Max(1, end - 3600 - earliest));
                    return Window(s);
                }

                var warm = new GraphService(store.Reader, new HealthOptions());
                var warmPast = new GraphService(store.Reader, new HealthOptions());
                var warmRandom = new GraphService(store.Reader, new HealthOptions());
                var perSegment = new GraphService(new PerSegmentReader(store.Reader), new HealthOptions());
                var finest = new GraphService(new FinestOnlyReader(store.Reader), new HealthOptions());
                var results = new List<Result>
                {
                    await TimeAsync("1 h, hour-aligned", () => warm, () => aligned, iterations, cpu, ct).ConfigureAwait(false),
                    await TimeAsync("1 h, unaligned (:29:50 to :29:50)", () => warm, () => unaligned, iterations, cpu, ct).ConfigureAwait(false),
                    await TimeAsync("1 h, unaligned, cold baseline (new service per call)", () => new GraphService(store.Reader, new HealthOptions()), () => unaligned, iterations, cpu, ct).ConfigureAwait(false),
                    await TimeAsync($"1 h, {back} h before the last, hour-aligned", () => warmPast, () => past, iterations, cpu, ct).ConfigureAwait(false),
                    await TimeAsync($"1 h, {back} h before the last, unaligned (:30:10 to :30:10)", () => warmPast, () => pastUnaligned, iterations, cpu, ct).ConfigureAwait(false),
                    await TimeAsync("1 h, random start to the second (baseline mostly cold)", () => warmRandom, RandomWindow, iterations, cpu, ct).ConfigureAwait(false),
                    await TimeAsync("peer: unaligned, previous read path (a read per segment, summed in C#)", () => perSegment, () => unaligned, peerIterations, cpu, ct).ConfigureAwait(false),
                    await TimeAsync("peer: unaligned, 10 s rows only", () => finest, () => unaligned, peerIterations, cpu, ct).ConfigureAwait(false),
                };
                return Markdown(kind, services, edgeCount, hours, rows, fill.Elapsed, results);
            }
        }
        finally
        {
            clickhouse?.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (keep is null)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static GraphQuery Window(long start) => new() { StartUnixSeconds = start, EndUnixSeconds = start + 3600 };

    private static async Task<Result> TimeAsync(string name, Func<GraphService> service, Func<GraphQuery> query, int iterations, CpuMeter cpu, CancellationToken ct)
    {
        // One call first, untimed: a warm service caches its baseline there, and the JIT has run every path.
        var graphs = service();
        _ = await graphs.GetGraphAsync(query(), ct).ConfigureAwait(false);
        var ms = new double[iterations];
        var cpuMs = new double[iterations];
        var serverMs = new double[iterations];
        var edges = 0;
        for (var i = 0; i < iterations; i++)
        {
            graphs = service();
            var q = query();
            var before = cpu.Read();
            var clock = Stopwatch.StartNew();
            var graph = await graphs.GetGraphAsync(q, ct).ConfigureAwait(false);
            ms[i] = clock.Elapsed.TotalMilliseconds;
            var after = cpu.Read();
            cpuMs[i] = (after.Own - before.Own).TotalMilliseconds;
            serverMs[i] = (after.Server - before.Server).TotalMilliseconds;
            edges = graph.Edges.Count;
        }

        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {name}: median {Report.Median(ms):0.0} ms, p99 {Report.Percentile(ms, 99):0.0} ms, CPU {Report.Median(cpuMs):0.0} + {Report.Median(serverMs):0.0} ms, {edges} edges")).ConfigureAwait(false);
        return new Result(name, ms, cpuMs, serverMs, edges);
    }

    private static string Markdown(string kind, int services, int edges, int hours, long rows, TimeSpan fill, List<Result> results)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"#### graph, {kind}: {services} services, {edges} edges, {hours} h of rollups ({rows:N0} rows at 10 s/1 min/10 min/1 h, filled in {fill.TotalSeconds:0} s)");
        text.AppendLine();
        text.AppendLine("| window | calls | median ms | p99 ms | CPU ms (bench process) | CPU ms (ClickHouse server) | edges |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            text.AppendLine(inv, $"| {r.Name} | {r.Ms.Length} | {Report.Median(r.Ms):0.0} | {Report.Percentile(r.Ms, 99):0.0} | {Report.Median(r.CpuMs):0.0} | {(kind == "clickhouse" ? Report.Median(r.ServerMs).ToString("0.0", inv) : "-")} | {r.Edges} |");
        }

        return text.ToString();
    }

    private sealed record Result(string Name, double[] Ms, double[] CpuMs, double[] ServerMs, int Edges);

    /// <summary>
    /// Waits (up to 15 minutes) until the server has no merge running in the bench's database: the fill writes a day of
    /// rollups in minutes, and timing the map while the server merges those parts measures the fill, not the read.
    /// A live store merges steadily and in small parts, never a day's worth at once.
    /// </summary>
    private static async Task WaitForMergesAsync(Uri server, string database, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        var query = Uri.EscapeDataString($"SELECT count() FROM system.merges WHERE database = '{database}'");
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromMinutes(15))
        {
            var running = (await http.GetStringAsync(new Uri($"?query={query}", UriKind.Relative), ct).ConfigureAwait(false)).Trim();
            if (running == "0")
            {
                await Console.Out.WriteLineAsync($"  background merges of the fill done after {waited.Elapsed.TotalSeconds:0} s").ConfigureAwait(false);
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
        }

        await Console.Out.WriteLineAsync("  background merges still running after 15 min: timing anyway").ConfigureAwait(false);
    }

    /// <summary>CPU time of this process and of the ClickHouse server, if any, so a loaded machine still gives work per call.</summary>
    private sealed class CpuMeter(int? serverPid)
    {
        public (TimeSpan Own, TimeSpan Server) Read()
        {
            using var self = Process.GetCurrentProcess();
            return (self.TotalProcessorTime, serverPid is { } pid ? ProcessCpu.Read(pid) ?? TimeSpan.Zero : TimeSpan.Zero);
        }
    }
}
