namespace Mesh.Bench.Query;

/// <summary>One query benchmark run: the store, how many spans to fill it with and how, how many calls to time.</summary>
internal sealed record QuerySettings(string Store, long Spans, int Batch, int Writers, int Iterations, int Warmup, int Seed)
{
    /// <summary>The fill spreads spans evenly over this much time, ending when the fill starts.</summary>
    public static readonly TimeSpan Spread = TimeSpan.FromHours(24);

    /// <summary>The width of every search's time window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public const int Limit = 20;
}
