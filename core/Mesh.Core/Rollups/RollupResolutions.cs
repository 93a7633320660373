namespace Mesh.Core.Rollups;

/// <summary>
/// The bucket widths rollups are kept at. Every write lands in each (a few rows more per flush), so a query over
/// hours reads a handful of coarse buckets per edge instead of hundreds of 10 s ones.
/// </summary>
public static class RollupResolutions
{
    public const int Finest = 10;

    /// <summary>Ascending; each divides the next.</summary>
    public static readonly IReadOnlyList<int> All = [10, 60, 600, 3600];

    public static bool IsValid(int seconds) => All.Contains(seconds);
}
