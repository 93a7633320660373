namespace Mesh.Core.Rollups;

/// <summary>
/// A window read as one sum per key: the rows of every segment (usually <see cref="RollupPlan.Segments"/> of the
/// window, coarse buckets for its middle and fine ones for its ends) added up in the store.
/// </summary>
public sealed record RollupWindowQuery
{
    /// <summary>Disjoint segments, each of a resolution in <see cref="RollupResolutions.All"/>; at least one.</summary>
    public required IReadOnlyList<RollupSegment> Segments { get; init; }

    /// <summary>Only edges whose source service is this.</summary>
    public string? SourceService { get; init; }

    /// <summary>Only edges whose destination service is this.</summary>
    public string? DestinationService { get; init; }

    /// <summary>The window's start: the earliest segment start.</summary>
    public long StartUnixSeconds => Segments.Min(s => s.StartUnixSeconds);

    /// <summary>Throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public void Validate()
    {
        if (Segments is null || Segments.Count == 0)
        {
            throw new ArgumentException("a window query needs at least one segment", nameof(Segments));
        }

        foreach (var s in Segments)
        {
            if (!RollupResolutions.IsValid(s.ResolutionSeconds))
            {
                throw new ArgumentException($"resolution {s.ResolutionSeconds} s is not one of {string.Join(", ", RollupResolutions.All)}", nameof(Segments));
            }

            if (s.EndUnixSeconds < s.StartUnixSeconds)
            {
                throw new ArgumentException($"segment [{s.StartUnixSeconds}, {s.EndUnixSeconds}) ends before it starts", nameof(Segments));
            }
        }
    }
}
