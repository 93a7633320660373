namespace Mesh.Core.Rollups;

/// <summary>
/// The buckets of one resolution starting in [<see cref="StartUnixSeconds"/>, <see cref="EndUnixSeconds"/>): one
/// piece of a window's cover (<see cref="RollupPlan"/>). Both ends are multiples of the resolution.
/// </summary>
public readonly record struct RollupSegment(int ResolutionSeconds, long StartUnixSeconds, long EndUnixSeconds)
{
    /// <summary>Buckets per edge the segment reads.</summary>
    public long Buckets => (EndUnixSeconds - StartUnixSeconds) / ResolutionSeconds;
}
