namespace Mesh.Ingest.Pipeline;

/// <summary>Exponential backoff with jitter for store retries.</summary>
internal static class Backoff
{
    /// <summary>
    /// The pause before retry <paramref name="attempt"/> (1 for the first retry): <paramref name="min"/> doubled per
    /// attempt, capped at <paramref name="max"/>, then scaled into [½, 1] of that by <paramref name="jitter"/> (0..1)
    /// so many ingest nodes hitting one recovering store do not retry in lockstep, yet the pause still grows.
    /// </summary>
    public static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max, double jitter)
    {
        var step = min.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var capped = Math.Min(step, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (0.5 * Math.Clamp(jitter, 0, 1))));
    }
}
