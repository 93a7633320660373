namespace Mesh.Storage.ClickHouse;

/// <summary>
/// Where a newest-first search with a limit looks first. ClickHouse 18.16 cannot read a table in key
/// order to stop early, so a search over an hour would aggregate the whole hour to keep the top few.
/// Searching the last minute, then the last quarter hour, then the whole range, finds the answer in the
/// first step whenever data is dense, and is exact: when a step already yields the limit, everything
/// outside it is older than everything in it.
/// </summary>
internal static class NewestFirst
{
    private static readonly long[] StepNanos = [60_000_000_000, 900_000_000_000];

    /// <summary>Start times of the widening windows that end at <paramref name="endNanos"/>, the last one being <paramref name="startNanos"/>.</summary>
    public static IEnumerable<long> WindowStarts(long startNanos, long endNanos)
    {
        foreach (var step in StepNanos)
        {
            var windowStart = endNanos - step;
            if (windowStart <= startNanos)
            {
                break;
            }

            yield return windowStart;
        }

        yield return startNanos;
    }
}
