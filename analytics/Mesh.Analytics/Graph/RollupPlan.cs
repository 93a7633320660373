using Mesh.Core.Rollups;

namespace Mesh.Analytics.Graph;

/// <summary>
/// Covers a window with as few rollup buckets as possible: the coarsest resolution for the aligned middle, finer
/// ones for the ragged ends. An hour reads one bucket per edge; an unaligned hour a few dozen at most.
/// </summary>
public static class RollupPlan
{
    public static List<(int Resolution, long Start, long End)> Segments(long start, long end)
    {
        var segments = new List<(int, long, long)>();
        Cover(AlignDown(start, RollupResolutions.Finest), AlignUp(end, RollupResolutions.Finest), RollupResolutions.All.Count - 1, segments);
        return segments;
    }

    public static long AlignDown(long t, long step) => t - (((t % step) + step) % step);

    public static long AlignUp(long t, long step) => AlignDown(t + step - 1, step);

    private static void Cover(long start, long end, int level, List<(int, long, long)> into)
    {
        if (start >= end)
        {
            return;
        }

        var r = RollupResolutions.All[level];
        var innerStart = AlignUp(start, r);
        var innerEnd = AlignDown(end, r);
        if (level == 0 || innerStart >= innerEnd)
        {
            if (level == 0)
            {
                into.Add((r, start, end));
            }
            else
            {
                Cover(start, end, level - 1, into);
            }

            return;
        }

        Cover(start, innerStart, level - 1, into);
        into.Add((r, innerStart, innerEnd));
        Cover(innerEnd, end, level - 1, into);
    }
}
