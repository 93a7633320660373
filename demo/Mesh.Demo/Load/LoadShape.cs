namespace Mesh.Demo.Load;

/// <summary>
/// A compressed day: the request rate follows <c>rps · (1 − amplitude · cos 2πφ)</c>, where φ is the time of
/// day (0 = midnight) and one day lasts <see cref="Period"/>. Its mean over a day is exactly <see cref="Rps"/>:
/// quiet at night, busiest at noon. The run starts at 06:00, where the factor is 1.
/// </summary>
internal sealed record LoadShape(double Rps, TimeSpan Period, double Amplitude)
{
    public const double StartPhase = 0.25;

    /// <summary>Time of day in [0, 1) at <paramref name="elapsed"/> into the run.</summary>
    public double PhaseAt(TimeSpan elapsed)
    {
        var phase = StartPhase + (elapsed / Period);
        return phase - Math.Floor(phase);
    }

    /// <summary>The day-cycle multiplier at <paramref name="elapsed"/> into the run (1 ± amplitude).</summary>
    public double DayFactorAt(TimeSpan elapsed) => 1 - (Amplitude * Math.Cos(2 * Math.PI * PhaseAt(elapsed)));

    /// <summary>Requests (journeys) per second at <paramref name="elapsed"/>, before any spike.</summary>
    public double RateAt(TimeSpan elapsed) => Rps * DayFactorAt(elapsed);
}
