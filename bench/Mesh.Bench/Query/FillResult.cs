namespace Mesh.Bench.Query;

/// <summary>What a fill wrote: span g starts at <see cref="StartNanos"/> + g × <see cref="StepNanos"/>.</summary>
internal sealed record FillResult(long Spans, double Seconds, ulong RunId, long StartNanos, long StepNanos, int Batch, int Writers)
{
    public double SpansPerSecond => Spans / Seconds;
}
