using System.Diagnostics;
using Mesh.Core.Storage;
using Mesh.Testing;

namespace Mesh.Bench.Query;

/// <summary>
/// <c>bench query</c>: fills a fresh store straight through its writer with spans spread over the last 24 h, then
/// times, after a warm-up, trace-by-id (<see cref="ISpanReader.GetTraceAsync"/> of random stored traces) and
/// search-by-service (<see cref="ISpanReader.FindTracesAsync"/>: a random service, a 1 h window at a random offset,
/// limit 20), one call at a time.
/// </summary>
internal static class QueryBenchmark
{
    private const string Database = "mesh";

    public static async Task<QueryBenchmarkResult> RunAsync(QuerySettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("mesh-bench-query-").FullName;
        using var clickHouse = settings.Store == "clickhouse" ? new ClickHouseServer() : null;
        try
        {
            if (clickHouse is not null)
            {
                await log.WriteLineAsync("starting clickhouse-server").ConfigureAwait(false);
                await clickHouse.StartAsync().ConfigureAwait(false);
            }

            var sqlitePath = Path.Combine(work, "mesh.db");
            var store = Stores.Open(settings.Store, clickHouse?.HttpUrl.ToString() ?? sqlitePath, Database);
            await using (store.ConfigureAwait(false))
            {
                await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
                var end = TimeProvider.System.GetUtcNow() - DateTimeOffset.UnixEpoch;
                var start = end - QuerySettings.Spread;
                await log.WriteLineAsync($"filling {settings.Store} with {settings.Spans:N0} spans over {QuerySettings.Spread.TotalHours} h ({settings.Writers} writers x {settings.Batch:N0}-span batches)").ConfigureAwait(false);
                var fill = await StoreLoad.FillAsync(store, settings.Spans, settings.Batch, settings.Writers, Nanos(start), Nanos(QuerySettings.Spread), log, cancellationToken).ConfigureAwait(false);

                long bytes;
                if (clickHouse is not null)
                {
                    // Queries right after a fill would share the CPU with its merges; a running system has settled.
                    using var admin = new ClickHouseAdmin(clickHouse.HttpUrl);
                    await admin.WaitForMergesAsync(TimeSpan.FromMinutes(10), log, cancellationToken).ConfigureAwait(false);
                    bytes = await admin.BytesOnDiskAsync(Database, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    bytes = Directory.EnumerateFiles(work, "mesh.db*").Sum(f => new FileInfo(f).Length);
                }

                var queries = new Queries(store.SpanReader, fill, new Random(settings.Seed));
                await log.WriteLineAsync($"warm-up: {settings.Warmup} calls of each query").ConfigureAwait(false);
                await MeasureAsync("warm-up", settings.Warmup, queries.GetTraceAsync, cancellationToken).ConfigureAwait(false);
                await MeasureAsync("warm-up", settings.Warmup, queries.FindTracesAsync, cancellationToken).ConfigureAwait(false);

                await log.WriteLineAsync($"timing {settings.Iterations} calls of each query").ConfigureAwait(false);
                var getTrace = await MeasureAsync("GetTraceAsync", settings.Iterations, queries.GetTraceAsync, cancellationToken).ConfigureAwait(false);
                var findTraces = await MeasureAsync("FindTracesAsync", settings.Iterations, queries.FindTracesAsync, cancellationToken).ConfigureAwait(false);
                return new QueryBenchmarkResult(settings, fill, bytes, getTrace, findTraces);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static long Nanos(TimeSpan time) => time.Ticks * 100;

    private static async Task<Latency> MeasureAsync(string name, int iterations, Func<CancellationToken, Task<int>> call, CancellationToken cancellationToken)
    {
        var milliseconds = new double[iterations];
        var results = new int[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            results[i] = await call(cancellationToken).ConfigureAwait(false);
            milliseconds[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return new Latency(name, milliseconds, results);
    }

    /// <summary>The two queries with random arguments drawn from what the fill stored.</summary>
    private sealed class Queries(ISpanReader reader, FillResult fill, Random random)
    {
        /// <summary>Only whole traces: the last one may have fewer spans when the count is not a multiple of 5.</summary>
        private readonly long _wholeTraceSpans = fill.Spans / StoreLoad.SpansPerTrace * StoreLoad.SpansPerTrace;

        public async Task<int> GetTraceAsync(CancellationToken cancellationToken)
        {
            var traceId = StoreLoad.TraceIdOf(fill.RunId, random.NextInt64(_wholeTraceSpans));
            return (await reader.GetTraceAsync(traceId, cancellationToken).ConfigureAwait(false)).Count;
        }

        public async Task<int> FindTracesAsync(CancellationToken cancellationToken)
        {
            var window = Nanos(QuerySettings.Window);
            var from = fill.StartNanos + random.NextInt64(Math.Max(1, Nanos(QuerySettings.Spread) - window));
            var query = new TraceQuery
            {
                Service = SpanTemplate.ServiceNames[random.Next(SpanTemplate.ServiceNames.Count)],
                StartUnixNano = from,
                EndUnixNano = from + window,
                Limit = QuerySettings.Limit,
            };
            return (await reader.FindTracesAsync(query, cancellationToken).ConfigureAwait(false)).Count;
        }
    }
}
