namespace Mesh.Core.Storage;

/// <summary>What the stores share of <see cref="ISpanReader.GetTopOperationsAsync"/>: the percentile's rank and the final pick.</summary>
public static class TopOperations
{
    /// <summary>The 1-based rank of the nearest-rank 99th percentile of <paramref name="count"/> values, ⌈0.99·n⌉, in integers.</summary>
    public static long P99Rank(long count) => count <= 0 ? 0 : ((99 * count) + 99) / 100;

    /// <summary>The query's limit clamped to 1..<see cref="OperationStatsQuery.MaxLimit"/>.</summary>
    public static int Limit(OperationStatsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Math.Clamp(query.Limit, 1, OperationStatsQuery.MaxLimit);
    }

    /// <summary>
    /// From per-operation figures of the proxies' server spans and of the app's own (<paramref name="rows"/>, in any
    /// order), the proxies' when there are any, else the app's: most requests first, ties by name, at most <paramref name="limit"/>.
    /// </summary>
    public static IReadOnlyList<OperationStats> Pick(IEnumerable<(bool Proxy, OperationStats Stats)> rows, int limit)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var all = rows.ToList();
        var proxy = all.Exists(r => r.Proxy);
        return all.Where(r => r.Proxy == proxy)
            .Select(r => r.Stats)
            .OrderByDescending(s => s.Requests)
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
    }
}
