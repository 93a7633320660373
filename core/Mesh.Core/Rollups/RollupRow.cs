namespace Mesh.Core.Rollups;

/// <summary>
/// The aggregate of one edge's requests over one bucket of time. Every measure is a sum, so rows for the same key
/// and bucket (from several ingest nodes, or several flushes of one node) merge by adding, and buckets add up over
/// time into coarser ones.
/// </summary>
public sealed record RollupRow
{
    /// <summary>Start of the bucket, Unix seconds, a multiple of <see cref="ResolutionSeconds"/>.</summary>
    public required long BucketStartUnixSeconds { get; init; }

    /// <summary>Bucket width: one of <see cref="RollupResolutions.All"/>.</summary>
    public required int ResolutionSeconds { get; init; }

    public required EdgeKey Key { get; init; }

    public long Requests { get; init; }

    /// <summary>Requests that failed: HTTP 5xx, gRPC non-OK, or span status ERROR.</summary>
    public long Errors { get; init; }

    /// <summary>Request body bytes sent by the source.</summary>
    public long BytesIn { get; init; }

    /// <summary>Response body bytes returned to the source.</summary>
    public long BytesOut { get; init; }

    /// <summary>Requests that went over mutual TLS.</summary>
    public long MtlsRequests { get; init; }

    /// <summary>Tries beyond the first.</summary>
    public long Retries { get; init; }

    /// <summary>Requests rejected by a rate limit (response flag RL).</summary>
    public long RateLimited { get; init; }

    /// <summary>Requests rejected by an open circuit or overflow (response flag UO).</summary>
    public long CircuitBroken { get; init; }

    /// <summary>Sum of latencies in nanoseconds, for means.</summary>
    public long LatencySumNanos { get; init; }

    public HistogramCounts Histogram { get; init; } = HistogramCounts.Empty;

    /// <summary>The sum of two rows of the same key (the bucket of this one is kept).</summary>
    public RollupRow Add(RollupRow other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return this with
        {
            Requests = Requests + other.Requests,
            Errors = Errors + other.Errors,
            BytesIn = BytesIn + other.BytesIn,
            BytesOut = BytesOut + other.BytesOut,
            MtlsRequests = MtlsRequests + other.MtlsRequests,
            Retries = Retries + other.Retries,
            RateLimited = RateLimited + other.RateLimited,
            CircuitBroken = CircuitBroken + other.CircuitBroken,
            LatencySumNanos = LatencySumNanos + other.LatencySumNanos,
            Histogram = Histogram.Add(other.Histogram),
        };
    }
}
