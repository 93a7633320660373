namespace Mesh.Demo.Load;

/// <summary>
/// A traffic spike an operator starts: the rate is multiplied for a while, then returns to the day shape.
/// State is one immutable snapshot swapped whole, read by the pacer on every tick.
/// </summary>
internal sealed class SpikeControl(TimeProvider time)
{
    public const double MaxMultiplier = 100;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    private volatile Spike? _current;

    /// <summary>The spike in force, or null.</summary>
    public Spike? Current
    {
        get
        {
            var spike = _current;
            return spike is not null && time.GetUtcNow() < spike.Until ? spike : null;
        }
    }

    public double MultiplierAt(DateTimeOffset now)
    {
        var spike = _current;
        return spike is not null && now >= spike.Started && now < spike.Until ? spike.Multiplier : 1.0;
    }

    public Spike Start(double multiplier, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(multiplier);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(multiplier, MaxMultiplier);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(duration, MaxDuration);
        var now = time.GetUtcNow();
        var spike = new Spike(multiplier, now, now + duration);
        _current = spike;
        return spike;
    }

    public void Stop() => _current = null;

    /// <summary>One spike: its multiplier and when it runs.</summary>
    internal sealed record Spike(double Multiplier, DateTimeOffset Started, DateTimeOffset Until);
}
