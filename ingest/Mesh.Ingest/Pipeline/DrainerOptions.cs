namespace Mesh.Ingest.Pipeline;

/// <summary>Settings of the <see cref="SpoolDrainer"/>. Immutable; checked once when the drainer is built.</summary>
public sealed record DrainerOptions
{
    /// <summary>Spool records (export requests) per store write at most.</summary>
    public int MaxBatchRecords { get; init; } = 4096;

    /// <summary>Spool bytes per store write at most (a single larger record still goes alone).</summary>
    public int MaxBatchBytes { get; init; } = 32 << 20;

    /// <summary>
    /// Spans plus log records per store write: no new record is added once the batch holds this many, so a batch
    /// exceeds it by at most one request's worth.
    /// </summary>
    public int MaxBatchItems { get; init; } = 50_000;

    /// <summary>
    /// Batches written to the store at once. One by default: strictly one after the other. More lets a store that
    /// takes concurrent inserts overlap them (the drainer's encoding of one batch with the server's work on another);
    /// commits stay in spool order either way. Each costs one more batch buffer (up to <see cref="MaxBatchBytes"/>).
    /// </summary>
    public int MaxWritesInFlight { get; init; } = 1;

    /// <summary>How long to wait for more records to fill a batch once it has some. Zero writes whatever is there.</summary>
    public TimeSpan MaxBatchWait { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A store write taking longer is abandoned and retried (as a replay). <see cref="Timeout.InfiniteTimeSpan"/> disables it.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The first pause after a failed store write; it doubles with each further failure.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest pause between retries of a failed store write.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Hand trace requests to a store that takes OTLP bytes (<c>IOtlpSpanWriter</c>) as they were spooled, rather
    /// than parsed and converted to the model. On by default; off only to compare the two paths.
    /// </summary>
    public bool WriteOtlpBytes { get; init; } = true;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBatchRecords);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBatchBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBatchItems);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxWritesInFlight);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchWait, TimeSpan.Zero);
        if (WriteTimeout <= TimeSpan.Zero && WriteTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(WriteTimeout), WriteTimeout, "DrainerOptions.WriteTimeout must be positive or infinite.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MinBackoff, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBackoff, MinBackoff);
    }
}
