using Mesh.Proxy.Config;

namespace Mesh.Proxy.Resilience;

/// <summary>
/// Per-cluster admission (Envoy's circuit breaker): at most MaxConcurrent in flight and MaxPending waiting for a
/// slot; beyond that a request fails fast instead of queueing without bound behind a slow upstream.
/// </summary>
internal sealed class CircuitBreaker : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly CircuitBreakerConfig _config;
    private readonly TimeProvider _time;
    private int _pending;

    public CircuitBreaker(CircuitBreakerConfig config, TimeProvider time)
    {
        _config = config;
        _time = time;
        _slots = new SemaphoreSlim(config.MaxConcurrent, config.MaxConcurrent);
    }

    public CircuitBreakerConfig Config => _config;

    public int InFlight => _config.MaxConcurrent - _slots.CurrentCount;

    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Takes a slot; null when admitted, else the reason for refusal ("max_concurrent" or "max_pending").</summary>
    public ValueTask<string?> EnterAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return ValueTask.FromResult<string?>(null);
        }

        return WaitAsync(cancellationToken);
    }

    public void Exit() => _slots.Release();

    public void Dispose() => _slots.Dispose();

    private async ValueTask<string?> WaitAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _pending) > _config.MaxPending)
        {
            Interlocked.Decrement(ref _pending);
            return _config.MaxPending == 0 ? "max_concurrent" : "max_pending";
        }

        try
        {
            using var timeout = new CancellationTokenSource(_config.PendingTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            try
            {
                await _slots.WaitAsync(linked.Token).ConfigureAwait(false);
                return null;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return "pending_timeout";
            }
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }
}
