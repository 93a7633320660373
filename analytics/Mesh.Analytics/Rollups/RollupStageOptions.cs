namespace Mesh.Analytics.Rollups;

/// <summary>Settings of <see cref="RollupStage"/>.</summary>
public sealed record RollupStageOptions
{
    /// <summary>
    /// How often accumulated rollups are written. Longer means fewer rows per bucket (every flush adds one row per
    /// edge and bucket it touched) but a staler map, and more lost if the process dies between flushes.
    /// </summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A stable name of this ingest node, part of every contribution id it writes.</summary>
    public string NodeId { get; init; } = Environment.MachineName;

    public Edges.EdgeExtractorOptions Edges { get; init; } = new();
}
