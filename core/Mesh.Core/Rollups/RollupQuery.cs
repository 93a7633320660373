namespace Mesh.Core.Rollups;

/// <summary>Which rollup rows to read: one resolution, the buckets starting in [start, end), optionally narrowed.</summary>
public sealed record RollupQuery
{
    public required int ResolutionSeconds { get; init; }

    /// <summary>Inclusive, Unix seconds.</summary>
    public required long StartUnixSeconds { get; init; }

    /// <summary>Exclusive, Unix seconds.</summary>
    public required long EndUnixSeconds { get; init; }

    /// <summary>
    /// True: one row per key and bucket (a time series). False: one row per key, summed over the whole range,
    /// with <see cref="RollupRow.BucketStartUnixSeconds"/> set to <see cref="StartUnixSeconds"/>.
    /// </summary>
    public bool PerBucket { get; init; }

    /// <summary>Only edges whose source service is this.</summary>
    public string? SourceService { get; init; }

    /// <summary>Only edges whose destination service is this.</summary>
    public string? DestinationService { get; init; }
}
