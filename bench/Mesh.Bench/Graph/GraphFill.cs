using Mesh.Core.Rollups;

namespace Mesh.Bench.Graph;

/// <summary>
/// Rollups for a synthetic mesh: <c>services</c> services each calling the next <c>edges/services</c> ones, every
/// edge busy in every 10 s bucket of the filled span, at every resolution (as ingest writes them).
/// </summary>
internal static class GraphFill
{
    public static EdgeKey[] Edges(int services, int edges)
    {
        var fanOut = Math.Max(1, edges / services);
        var keys = new List<EdgeKey>(edges);
        for (var s = 0; s < services && keys.Count < edges; s++)
        {
            for (var k = 1; k <= fanOut && keys.Count < edges; k++)
            {
                keys.Add(new EdgeKey
                {
                    SourceService = Name(s),
                    SourceVersion = "v1",
                    SourceNamespace = $"ns{s % 10}",
                    DestinationService = Name((s + k) % services),
                    DestinationVersion = "v1",
                    DestinationNamespace = $"ns{(s + k) % services % 10}",
                    DestinationEndpoint = $"10.0.{(s + k) % services / 250}.{(s + k) % services % 250}:8080",
                    Route = $"route-{(s + k) % services}",
                });
            }
        }

        return [.. keys];
    }

    /// <summary>Writes every row of [start, end) in contributions of about <paramref name="chunk"/> rows; returns the rows written.</summary>
    public static async Task<long> FillAsync(IRollupWriter writer, EdgeKey[] edges, long start, long end, int chunk, TextWriter log, CancellationToken ct)
    {
        var random = new Random(1);
        var templates = Enumerable.Range(0, 16).Select(_ => Template(random)).ToArray();
        long written = 0;
        var rows = new List<RollupRow>(chunk);
        var contribution = 0;
        foreach (var resolution in RollupResolutions.All.Reverse())
        {
            var scale = resolution / RollupResolutions.Finest;
            for (var bucket = start; bucket < end; bucket += resolution)
            {
                for (var e = 0; e < edges.Length; e++)
                {
                    var (histogram, requests) = templates[(e + (int)(bucket / 10)) % templates.Length];
                    rows.Add(new RollupRow
                    {
                        ResolutionSeconds = resolution,
                        BucketStartUnixSeconds = bucket,
                        Key = edges[e],
                        Requests = requests * scale,
                        Errors = e % 50 == 0 ? scale : 0,
                        BytesIn = requests * scale * 300,
                        BytesOut = requests * scale * 4000,
                        MtlsRequests = requests * scale,
                        Retries = e % 7 == 0 ? scale : 0,
                        LatencySumNanos = requests * scale * 20_000_000,
                        Histogram = Scaled(histogram, scale),
                    });
                    if (rows.Count == chunk)
                    {
                        await writer.WriteAsync(rows, $"bench/{++contribution}", ct).ConfigureAwait(false);
                        written += rows.Count;
                        rows.Clear();
                    }
                }
            }

            await log.WriteLineAsync($"  filled resolution {resolution} s ({written:N0} rows so far)").ConfigureAwait(false);
        }

        if (rows.Count > 0)
        {
            await writer.WriteAsync(rows, $"bench/{++contribution}", ct).ConfigureAwait(false);
            written += rows.Count;
        }

        return written;
    }

    private static string Name(int s) => $"svc-{s:D3}";

    private static (HistogramCounts Histogram, long Requests) Template(Random random)
    {
        var histogram = new Mesh.Analytics.Histograms.LatencyHistogram();
        var requests = random.Next(5, 50);
        for (var i = 0; i < requests; i++)
        {
            histogram.Record((long)(5e6 * Math.Exp(random.NextDouble() * 2)));
        }

        return (histogram.ToCounts(), requests);
    }

    private static HistogramCounts Scaled(HistogramCounts h, long scale)
    {
        if (scale == 1)
        {
            return h;
        }

        var buckets = new KeyValuePair<int, long>[h.BucketCount];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = KeyValuePair.Create(h.Indexes[i], h.Counts[i] * scale);
        }

        return HistogramCounts.From(buckets);
    }
}
