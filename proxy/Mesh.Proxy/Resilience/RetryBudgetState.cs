using Mesh.Proxy.Config;

namespace Mesh.Proxy.Resilience;

/// <summary>
/// Retry budget over a sliding window (ten slots): a retry is allowed while retries in the window stay under
/// ratio x requests + a per-second floor. Retries then cannot multiply load on a failing upstream (a retry storm),
/// yet a quiet route can still retry. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class RetryBudgetState
{
    private const int Slots = 10;
    private readonly RetryBudget _config;
    private readonly TimeProvider _time;
    private readonly long _slotTicks;
    private readonly long[] _requests = new long[Slots];
    private readonly long[] _retries = new long[Slots];
    private readonly long[] _slotEpoch = new long[Slots];
    private readonly Lock _lock = new();

    public RetryBudgetState(RetryBudget config, TimeProvider time)
    {
        _config = config;
        _time = time;
        _slotTicks = Math.Max(1, config.Window.Ticks / Slots);
    }

    /// <summary>Counts an original request (not a retry): it deposits ratio retries into the budget.</summary>
    public void OnRequest()
    {
        lock (_lock)
        {
            _requests[Current()]++;
        }
    }

    /// <summary>Takes one retry from the budget; false when the budget is spent.</summary>
    public bool TryRetry()
    {
        lock (_lock)
        {
            var slot = Current();
            long requests = 0, retries = 0;
            for (var i = 0; i < Slots; i++)
            {
                requests += _requests[i];
                retries += _retries[i];
            }

            var allowed = (_config.Ratio * requests) + (_config.MinRetriesPerSecond * _config.Window.TotalSeconds);
            if (retries + 1 > allowed)
            {
                return false;
            }

            _retries[slot]++;
            return true;
        }
    }

    // Advances the ring to now, clearing slots that fell out of the window. Caller holds the lock.
    private int Current()
    {
        var epoch = _time.GetUtcNow().UtcTicks / _slotTicks;
        var slot = (int)(epoch % Slots);
        for (var i = 0; i < Slots; i++)
        {
            if (_slotEpoch[i] <= epoch - Slots)
            {
                _requests[i] = 0;
                _retries[i] = 0;
                _slotEpoch[i] = epoch - Slots + 1;
            }
        }

        if (_slotEpoch[slot] != epoch)
        {
            _requests[slot] = 0;
            _retries[slot] = 0;
            _slotEpoch[slot] = epoch;
        }

        return slot;
    }
}
