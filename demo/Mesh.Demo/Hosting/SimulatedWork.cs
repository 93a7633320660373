namespace Mesh.Demo.Hosting;

/// <summary>
/// The small random amount of time a real handler would spend (a query, a template, a card network), so
/// latency histograms and percentiles in the mesh look like those of a real store rather than of no-ops.
/// </summary>
internal sealed class SimulatedWork(DemoServiceOptions options, TimeProvider time)
{
    public Task DoAsync(int minMs, int maxMs, CancellationToken cancellationToken)
    {
        if (options.LatencyScale <= 0 || maxMs <= 0)
        {
            return Task.CompletedTask;
        }

        var ms = (minMs + (Random.Shared.NextDouble() * (maxMs - minMs))) * options.LatencyScale;
        return Task.Delay(TimeSpan.FromMilliseconds(ms), time, cancellationToken);
    }
}
