namespace Mesh.Proxy.Policies;

/// <summary>Token bucket on injected time: refills continuously at a rate up to a capacity.</summary>
internal sealed class TokenBucket
{
    private readonly double _ratePerSecond;
    private readonly double _capacity;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _stamp;

    public TokenBucket(double ratePerSecond, double capacity, TimeProvider time)
    {
        _ratePerSecond = ratePerSecond;
        _capacity = capacity;
        _time = time;
        _tokens = capacity;
        _stamp = time.GetUtcNow().UtcTicks;
    }

    /// <summary>Last time the bucket was touched (for evicting idle per-source buckets).</summary>
    public long Stamp => Volatile.Read(ref _stamp);

    /// <summary>Takes a token; when none is left, says how long until one is.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow().UtcTicks;
            _tokens = Math.Min(_capacity, _tokens + ((now - _stamp) / (double)TimeSpan.TicksPerSecond * _ratePerSecond));
            _stamp = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - _tokens) / _ratePerSecond);
            return false;
        }
    }
}
