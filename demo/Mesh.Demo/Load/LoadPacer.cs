namespace Mesh.Demo.Load;

/// <summary>
/// Turns the rate (day shape × spike) into a whole number of journeys to start on each tick, carrying the
/// fraction over, so the count over any stretch of time is the integral of the rate within one journey.
/// A stalled tick (a paused process, a slow machine) is credited at most <see cref="MaxCatchUp"/>, so the
/// generator never answers a hiccup with a burst.
/// </summary>
internal sealed class LoadPacer
{
    public static readonly TimeSpan MaxCatchUp = TimeSpan.FromSeconds(1);

    private readonly LoadShape _shape;
    private readonly SpikeControl _spike;
    private readonly DateTimeOffset _start;
    private DateTimeOffset _last;
    private double _credit;

    public LoadPacer(LoadShape shape, SpikeControl spike, DateTimeOffset start)
    {
        _shape = shape;
        _spike = spike;
        _start = start;
        _last = start;
    }

    /// <summary>The rate in force at <paramref name="now"/>, journeys per second.</summary>
    public double RateAt(DateTimeOffset now) => _shape.RateAt(now - _start) * _spike.MultiplierAt(now);

    /// <summary>How many journeys are due since the previous call. Not thread-safe: one loop owns it.</summary>
    public int Take(DateTimeOffset now)
    {
        var elapsed = now - _last;
        if (elapsed <= TimeSpan.Zero)
        {
            return 0;
        }

        var credited = elapsed > MaxCatchUp ? MaxCatchUp : elapsed;
        // Midpoint rule: exact for a straight line, and ticks are short against the day's curve.
        _credit += RateAt(_last + (elapsed / 2)) * credited.TotalSeconds;
        _last = now;
        var due = (int)Math.Floor(_credit);
        _credit -= due;
        return due;
    }
}
