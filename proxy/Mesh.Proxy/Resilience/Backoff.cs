namespace Mesh.Proxy.Resilience;

/// <summary>Exponential backoff with full jitter: spreads retries so failing clients do not retry in lockstep.</summary>
internal static class Backoff
{
    /// <summary>Delay before retry number <paramref name="retry"/> (1-based): uniform in [0, min(max, base x 2^(retry-1))].</summary>
    public static TimeSpan Delay(int retry, TimeSpan baseDelay, TimeSpan maxDelay, Random random)
    {
        var ceiling = Math.Min(maxDelay.Ticks, baseDelay.Ticks * (1L << Math.Min(retry - 1, 20)));
        return TimeSpan.FromTicks((long)(random.NextDouble() * ceiling));
    }
}
