using System.Collections.Concurrent;
using Mesh.Proxy.Config;

namespace Mesh.Proxy.Policies;

/// <summary>
/// A route's local rate limit: one bucket, or one per source identity. Per-source buckets are bounded: past
/// <see cref="MaxSources"/> the idlest half is dropped, so a flood of distinct sources cannot grow memory.
/// </summary>
internal sealed class RateLimiter
{
    private const int MaxSources = 10_000;
    private readonly RateLimitConfig _config;
    private readonly TimeProvider _time;
    private readonly TokenBucket _shared;
    private readonly ConcurrentDictionary<string, TokenBucket> _bySource = new(StringComparer.Ordinal);

    public RateLimiter(RateLimitConfig config, TimeProvider time)
    {
        _config = config;
        _time = time;
        _shared = NewBucket();
    }

    public RateLimitConfig Config => _config;

    public bool TryAcquire(string? source, out TimeSpan retryAfter)
    {
        if (!_config.PerSource)
        {
            return _shared.TryTake(out retryAfter);
        }

        var key = source ?? "";
        if (!_bySource.TryGetValue(key, out var bucket))
        {
            if (_bySource.Count >= MaxSources)
            {
                Trim();
            }

            bucket = _bySource.GetOrAdd(key, _ => NewBucket());
        }

        return bucket.TryTake(out retryAfter);
    }

    private TokenBucket NewBucket() =>
        new(_config.RequestsPerSecond, _config.Burst ?? Math.Max(1, Math.Ceiling(_config.RequestsPerSecond)), _time);

    private void Trim()
    {
        foreach (var stale in _bySource.OrderBy(kv => kv.Value.Stamp).Take(_bySource.Count / 2).Select(kv => kv.Key).ToArray())
        {
            _bySource.TryRemove(stale, out _);
        }
    }
}
