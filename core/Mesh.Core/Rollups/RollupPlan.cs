namespace Mesh.Core.Rollups;

/// <summary>
/// Covers a window with as few rollup buckets as possible: the coarsest resolution for the aligned middle, finer
/// ones for the ragged ends. An hour-aligned hour reads one bucket per edge; any hour at most 2·(5 + 9 + 5) + 1.
/// Exact because every resolution holds the same sums (ingest adds each sample to all of them).
/// </summary>
public static class RollupPlan
{
    /// <summary>Disjoint segments covering [start, end) widened to 10 s buckets, in time order.</summary>
    public static List<RollupSegment> Segments(long start, long end)
    {
        var segments = new List<RollupSegment>();
        Cover(AlignDown(start, RollupResolutions.Finest), AlignUp(end, RollupResolutions.Finest), RollupResolutions.All.Count - 1, segments);
        return segments;
    }

    /// <summary>The window as one store query summed per key.</summary>
    public static RollupWindowQuery Window(long start, long end, string? source = null, string? destination = null)
    {
        var segments = Segments(start, end);
        if (segments.Count == 0)
        {
            // An empty window still names where it is, so the store can answer "nothing" without a special case.
            segments.Add(new RollupSegment(RollupResolutions.Finest, AlignDown(start, RollupResolutions.Finest), AlignDown(start, RollupResolutions.Finest)));
        }

        return new RollupWindowQuery { Segments = segments, SourceService = source, DestinationService = destination };
    }

    public static long AlignDown(long t, long step) => t - (((t % step) + step) % step);

    public static long AlignUp(long t, long step) => AlignDown(t + step - 1, step);

    private static void Cover(long start, long end, int level, List<RollupSegment> into)
    {
        if (start >= end)
        {
            return;
        }

        var r = RollupResolutions.All[level];
        var innerStart = AlignUp(start, r);
        var innerEnd = AlignDown(end, r);
        if (level == 0)
        {
            into.Add(new RollupSegment(r, start, end));
        }
        else if (innerStart >= innerEnd)
        {
            Cover(start, end, level - 1, into);
        }
        else
        {
            Cover(start, innerStart, level - 1, into);
            into.Add(new RollupSegment(r, innerStart, innerEnd));
            Cover(innerEnd, end, level - 1, into);
        }
    }
}
