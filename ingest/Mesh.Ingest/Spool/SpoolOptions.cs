namespace Mesh.Ingest.Spool;

/// <summary>Settings of the <see cref="FileSpool"/>. Immutable; checked once when the spool opens.</summary>
public sealed record SpoolOptions
{
    /// <summary>Where the segment files and the checkpoint live. Created when missing; one spool per directory.</summary>
    public required string Directory { get; init; }

    /// <summary>Undrained bytes (records not yet in the store) above which appends are refused as full.</summary>
    public long MaxBytes { get; init; } = 1L << 30;

    /// <summary>A segment is closed and a new one started once it holds this many bytes; drained segments are deleted whole.</summary>
    public long SegmentBytes { get; init; } = 64L << 20;

    /// <summary>
    /// Bytes waiting for the writer (appended but not yet written). Past this, appenders wait for the next group
    /// commit instead of piling more into memory; it bounds memory when the disk stalls.
    /// </summary>
    public long MaxPendingBytes { get; init; } = 16L << 20;

    /// <summary>The shortest retry-after suggested when the spool is full.</summary>
    public TimeSpan MinRetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest retry-after suggested when the spool is full (also used before any drain rate is known).</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("SpoolOptions.Directory is required.", nameof(Directory));
        }

        if (MaxBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBytes), MaxBytes, "SpoolOptions.MaxBytes must be positive.");
        }

        if (SegmentBytes is < 4096 or > 1L << 30)
        {
            throw new ArgumentOutOfRangeException(nameof(SegmentBytes), SegmentBytes, "SpoolOptions.SegmentBytes must be between 4 KiB and 1 GiB.");
        }

        if (MaxPendingBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPendingBytes), MaxPendingBytes, "SpoolOptions.MaxPendingBytes must be positive.");
        }

        if (MinRetryAfter <= TimeSpan.Zero || MaxRetryAfter < MinRetryAfter)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetryAfter), MaxRetryAfter, "SpoolOptions.MinRetryAfter must be positive and not above MaxRetryAfter.");
        }
    }
}
