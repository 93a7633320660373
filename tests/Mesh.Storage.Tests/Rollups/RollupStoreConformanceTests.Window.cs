using Mesh.Analytics.Edges;
using Mesh.Analytics.Graph;
using Mesh.Analytics.Health;
using Mesh.Analytics.Histograms;
using Mesh.Analytics.Rollups;
using Mesh.Core.Rollups;
using Xunit;

namespace Mesh.Storage.Tests.Rollups;

/// <summary>
/// Window reads (<see cref="IRollupReader.ReadWindowAsync"/>): rows written as ingest writes them (every sample into
/// every resolution, two ingest nodes adding to the same buckets, several flushes each), then windows anywhere (to
/// the second) read through the tiered plan must equal the 10 s tier and the raw samples exactly.
/// </summary>
public abstract partial class RollupStoreConformanceTests
{
    private const long Hour = 3600;

    private static readonly EdgeKey[] PastEdges =
    [
        AtoB,
        AtoDb,
        new() { SourceService = "cart", DestinationService = "pricing", DestinationVersion = "v1", DestinationEndpoint = "10.0.0.9:80", Route = "/price/{id}" },
    ];

    private static readonly EdgeKey NowOnly = new() { SourceService = "frontend", DestinationService = "search", DestinationVersion = "v3" };

    [Fact]
    public async Task ReadWindow_SegmentsOfEveryResolution_OneRowPerKeySummedAcrossSegmentsAndNodes()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.WriteAsync(
            [
                Row(AtoB, T0, 1, 1, [(100, 1)]) with { ResolutionSeconds = 3600 },
                Row(AtoB, T0 + 3600, 2, 0, [(100, 2)]) with { ResolutionSeconds = 600 },
                Row(AtoB, T0 + 4200, 4, 0, [(200, 4)]) with { ResolutionSeconds = 60 },
                Row(AtoB, T0 + 4260, 8, 0, [(300, 8)]),
                Row(AtoDb, T0 + 4260, 16, 16, [(50, 16)]),

                // Outside every segment, or at a resolution no segment names: not read.
                Row(AtoB, T0 + 4270, 1000, 0, [(1, 1000)]),
                Row(AtoB, T0 + 3600, 1000, 0, [(1, 1000)]) with { ResolutionSeconds = 3600 },
            ],
            "node-a/1",
            Ct);
        await store.Writer.WriteAsync([Row(AtoB, T0 + 4260, 32, 2, [(300, 30), (400, 2)])], "node-b/1", Ct);

        RollupSegment[] segments = [new(3600, T0, T0 + 3600), new(600, T0 + 3600, T0 + 4200), new(60, T0 + 4200, T0 + 4260), new(10, T0 + 4260, T0 + 4270)];
        var rows = (await store.Reader.ReadWindowAsync(new RollupWindowQuery { Segments = segments }, Ct)).OrderBy(r => r.Key.DestinationService).ToList();
        Assert.Equal(2, rows.Count);
        var ab = rows[0];
        Assert.Equal((AtoB, T0, RollupResolutions.Finest), (ab.Key, ab.BucketStartUnixSeconds, ab.ResolutionSeconds));
        Assert.Equal((47L, 3L, 470L, 4700L, 47L, 94L, 141L, 188L, 235L), (ab.Requests, ab.Errors, ab.BytesIn, ab.BytesOut, ab.MtlsRequests, ab.Retries, ab.RateLimited, ab.CircuitBroken, ab.LatencySumNanos));
        Assert.Equal(HistogramCounts.From([new(100, 3), new(200, 4), new(300, 38), new(400, 2)]), ab.Histogram);
        Assert.Equal((AtoDb, 16L), (rows[1].Key, rows[1].Requests));

        var cart = Assert.Single(await store.Reader.ReadWindowAsync(new RollupWindowQuery { Segments = segments, DestinationService = "cart" }, Ct));
        Assert.Equal(47, cart.Requests);
        Assert.Equal(2, (await store.Reader.ReadWindowAsync(new RollupWindowQuery { Segments = segments, SourceService = "frontend" }, Ct)).Count);
        Assert.Empty(await store.Reader.ReadWindowAsync(new RollupWindowQuery { Segments = segments, SourceService = "cart" }, Ct));
        Assert.Empty(await store.Reader.ReadWindowAsync(new RollupWindowQuery { Segments = [new(10, T0, T0)] }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.Reader.ReadWindowAsync(new RollupWindowQuery { Segments = [new(7, T0, T0 + 7)] }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.Reader.ReadWindowAsync(new RollupWindowQuery { Segments = [] }, Ct));
    }

    [Fact]
    public async Task ReadWindow_RandomWindows_TieredPlanEqualsTheFinestTierAndTheRawSamplesExactly()
    {
        await using var store = await CreateStoreAsync();
        var samples = await WriteAsIngestAsync(store);
        var random = new Random(23);
        var windows = new List<(long Start, long End)>
        {
            (T0 + Hour, T0 + (2 * Hour)),
            (T0 + Hour - 1810, T0 + (2 * Hour) - 1810),
            (T0 + 15, T0 + 17),
            (T0 + (12 * Hour) + 1, T0 + (13 * Hour) - 1),
            (T0 - 7200, T0 + (14 * Hour)),
            (T0 + 600, T0 + 600),
        };
        for (var i = 0; i < 24; i++)
        {
            var start = T0 - 600 + random.NextInt64(14 * Hour);
            windows.Add((start, start + 1 + random.NextInt64(4 * Hour)));
        }

        foreach (var (start, end) in windows)
        {
            var plan = RollupPlan.Window(start, end);
            var from = RollupPlan.AlignDown(start, 10);
            var to = Math.Max(from, RollupPlan.AlignUp(end, 10));
            var tiered = Sorted(await store.Reader.ReadWindowAsync(plan, Ct));
            var finest = Sorted(await store.Reader.ReadWindowAsync(new RollupWindowQuery { Segments = [new(10, from, to)] }, Ct));
            var expected = Sorted(Expected(samples, from, to));
            Assert.True(expected.SequenceEqual(finest), $"10 s tier differs from the raw samples over [{start}, {end})");
            Assert.True(expected.SequenceEqual(tiered), $"tiered plan ({plan.Segments.Count} segments) differs from the raw samples over [{start}, {end})");
        }
    }

    [Fact]
    public async Task Graph_PastWindow12HoursBack_ThatWindowsGraphWithExactCountsAndPercentiles()
    {
        await using var store = await CreateStoreAsync();
        var samples = await WriteAsIngestAsync(store);
        var graphs = new GraphService(store.Reader, new HealthOptions());
        foreach (var (start, end) in new[] { (T0, T0 + Hour), (T0 + 1234, T0 + 1234 + Hour), (T0 + (12 * Hour), T0 + (13 * Hour)) })
        {
            var graph = await graphs.GetGraphAsync(new GraphQuery { StartUnixSeconds = start, EndUnixSeconds = end }, Ct);
            var mine = samples.Where(s => s.StartUnixNano / 1_000_000_000 >= RollupPlan.AlignDown(start, 10) && s.StartUnixNano / 1_000_000_000 < RollupPlan.AlignUp(end, 10)).ToList();
            var pairs = mine.GroupBy(s => (s.Key.SourceService, s.Key.DestinationService)).OrderBy(g => g.Key.SourceService, StringComparer.Ordinal).ThenBy(g => g.Key.DestinationService, StringComparer.Ordinal).ToList();
            Assert.Equal(pairs.Select(p => p.Key), graph.Edges.Select(e => (e.Source, e.Target)));
            foreach (var pair in pairs)
            {
                var edge = graph.Edges.Single(e => (e.Source, e.Target) == pair.Key);
                Assert.Equal(pair.Count(), edge.Requests);
                Assert.Equal(pair.Count(s => s.IsError), edge.Errors);
                Assert.Equal(pair.Sum(s => s.BytesOut), edge.BytesOut);
                var sorted = pair.Select(s => s.DurationNanos).Order().ToArray();
                foreach (var (q, ms) in new[] { (0.5, edge.P50Ms), (0.95, edge.P95Ms), (0.99, edge.P99Ms) })
                {
                    var exact = sorted[(int)Math.Ceiling((q * sorted.Length) - 1e-9) - 1] / 1e6;
                    Assert.InRange(ms!.Value, exact * (1 - LatencyHistogram.RelativeErrorBound), exact * (1 + LatencyHistogram.RelativeErrorBound));
                }
            }
        }

        var past = await graphs.GetGraphAsync(new GraphQuery { StartUnixSeconds = T0, EndUnixSeconds = T0 + Hour }, Ct);
        Assert.DoesNotContain(past.Nodes, n => n.Name == NowOnly.DestinationService);
        Assert.Empty((await graphs.GetGraphAsync(new GraphQuery { StartUnixSeconds = T0 + (5 * Hour), EndUnixSeconds = T0 + (6 * Hour) }, Ct)).Edges);
    }

    /// <summary>
    /// Samples over two spells, [T0, T0 + 2 h) and [T0 + 12 h, T0 + 13 h), summed by two ingest nodes' accumulators
    /// (each sample to one of them) and flushed every few hundred samples, as <see cref="RollupStage"/> writes them.
    /// </summary>
    private static async Task<List<EdgeSample>> WriteAsIngestAsync(IRollupStore store)
    {
        var random = new Random(7);
        var samples = new List<EdgeSample>();
        for (var i = 0; i < 6000; i++)
        {
            var now = i % 3 == 0;
            var second = now ? T0 + (12 * Hour) + random.NextInt64(Hour) : T0 + random.NextInt64(2 * Hour);
            var key = now && i % 2 == 0 ? NowOnly : PastEdges[random.Next(PastEdges.Length)];
            samples.Add(new EdgeSample
            {
                Key = key,
                StartUnixNano = (second * 1_000_000_000) + random.Next(1_000_000_000),
                DurationNanos = (long)(1e5 * Math.Exp(random.NextDouble() * 9)),
                IsError = random.Next(10) == 0,
                BytesIn = random.Next(10_000),
                BytesOut = random.Next(100_000),
                Mtls = random.Next(2) == 0,
                Retries = random.Next(3),
                RateLimited = random.Next(30) == 0,
                CircuitBroken = random.Next(30) == 0,
            });
        }

        var nodes = new[] { new RollupAccumulator(), new RollupAccumulator() };
        var flushes = new int[2];
        for (var i = 0; i < samples.Count; i++)
        {
            var node = random.Next(2);
            nodes[node].Add(samples[i]);
            if (nodes[node].Count >= 900)
            {
                await store.Writer.WriteAsync(nodes[node].Take(), $"node-{node}/{++flushes[node]}", Ct);
            }
        }

        for (var node = 0; node < nodes.Length; node++)
        {
            await store.Writer.WriteAsync(nodes[node].Take(), $"node-{node}/{++flushes[node]}", Ct);
        }

        return samples;
    }

    private static List<RollupRow> Expected(List<EdgeSample> samples, long from, long to)
    {
        var rows = new List<RollupRow>();
        foreach (var group in samples.Where(s => s.StartUnixNano / 1_000_000_000 >= from && s.StartUnixNano / 1_000_000_000 < to).GroupBy(s => s.Key))
        {
            var histogram = new LatencyHistogram();
            foreach (var s in group)
            {
                histogram.Record(s.DurationNanos);
            }

            rows.Add(new RollupRow
            {
                ResolutionSeconds = RollupResolutions.Finest,
                BucketStartUnixSeconds = from,
                Key = group.Key,
                Requests = group.Count(),
                Errors = group.Count(s => s.IsError),
                BytesIn = group.Sum(s => s.BytesIn),
                BytesOut = group.Sum(s => s.BytesOut),
                MtlsRequests = group.Count(s => s.Mtls),
                Retries = group.Sum(s => s.Retries),
                RateLimited = group.Count(s => s.RateLimited),
                CircuitBroken = group.Count(s => s.CircuitBroken),
                LatencySumNanos = group.Sum(s => s.DurationNanos),
                Histogram = histogram.ToCounts(),
            });
        }

        return rows;
    }

    private static List<RollupRow> Sorted(IEnumerable<RollupRow> rows) =>
        [.. rows.OrderBy(r => r.Key.SourceService, StringComparer.Ordinal).ThenBy(r => r.Key.DestinationService, StringComparer.Ordinal).ThenBy(r => r.Key.Route, StringComparer.Ordinal)];
}
