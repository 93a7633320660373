namespace Mesh.Core.Storage;

/// <summary>
/// Which operations <see cref="ISpanReader.GetTopOperationsAsync"/> ranks: one service's requests that start in
/// [<see cref="StartUnixNano"/>, <see cref="EndUnixNano"/>). The window is read from raw spans, so it is at most
/// <see cref="MaxWindowNanos"/> long; callers with a longer window ask for its last part.
/// </summary>
public sealed record OperationStatsQuery
{
    public const int MaxLimit = 100;

    /// <summary>One hour: the map's default window, and a bounded read of one service's spans.</summary>
    public const long MaxWindowNanos = 3_600L * 1_000_000_000;

    public required string Service { get; init; }

    public required long StartUnixNano { get; init; }

    public required long EndUnixNano { get; init; }

    /// <summary>How many operations to return, busiest first; clamped to 1..<see cref="MaxLimit"/>.</summary>
    public int Limit { get; init; } = 10;

    /// <summary>Throws <see cref="ArgumentException"/> naming the field that is wrong.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Service))
        {
            throw new ArgumentException("The service is required.", nameof(Service));
        }

        if (EndUnixNano - StartUnixNano > MaxWindowNanos)
        {
            throw new ArgumentOutOfRangeException(nameof(EndUnixNano), $"The window is longer than {MaxWindowNanos / 1_000_000_000} s.");
        }
    }
}
