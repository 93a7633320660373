using System.Diagnostics;
using System.Globalization;
using Mesh.Core.Storage;
using Mesh.Core.Telemetry;

namespace Mesh.Bench.Query;

/// <summary>
/// Writes realistic spans straight through a store's writer: the store's own ceiling, and how the query benchmark
/// fills a store. Span g (0-based) starts at start + g × step and belongs to trace <see cref="TraceIdOf"/>(run, g),
/// so a reader can ask for any stored trace without remembering ids.
/// </summary>
internal static class StoreLoad
{
    public const int SpansPerTrace = 5;

    /// <summary>The trace of span <paramref name="span"/>: unique low half, random-looking high half (see <see cref="IdMixer"/>).</summary>
    public static TraceId TraceIdOf(ulong runId, long span)
    {
        var trace = (ulong)(span / SpansPerTrace) + 1;
        return new TraceId(IdMixer.Mix(runId ^ trace), trace);
    }

    /// <summary>
    /// Writes <paramref name="spans"/> spans in batches of <paramref name="batch"/> from <paramref name="writers"/>
    /// concurrent writers taking the next batch in turn: while one waits for the store, another builds its batch.
    /// </summary>
    public static async Task<FillResult> FillAsync(ITelemetryStore store, long spans, int batch, int writers, long startNanos, long spreadNanos, TextWriter log, CancellationToken cancellationToken)
    {
        // Whole traces per batch, so no trace is split between two writers.
        batch = Math.Max(SpansPerTrace, batch / SpansPerTrace * SpansPerTrace);
        var step = Math.Max(1, spreadNanos / Math.Max(1, spans));
        var runId = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        var batches = (spans + batch - 1) / batch;
        long nextBatch = -1;
        long written = 0;
        var stopwatch = Stopwatch.StartNew();

        async Task WriteAsync()
        {
            long index;
            while ((index = Interlocked.Increment(ref nextBatch)) < batches)
            {
                var offset = index * batch;
                var count = (int)Math.Min(batch, spans - offset);
                var list = SpanTemplate.RealisticSpans(
                    count,
                    SpansPerTrace,
                    startNanos + (offset * step),
                    t => TraceIdOf(runId, offset + ((long)t * SpansPerTrace)),
                    s => new SpanId((ulong)(offset + s + 1)),
                    step);
                await store.SpanWriter.WriteSpansAsync(list, WriteMode.First, cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref written, count);
            }
        }

        using var done = new CancellationTokenSource();
        var progress = ProgressAsync(() => Interlocked.Read(ref written), spans, stopwatch, log, done.Token);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Math.Max(1, writers)).Select(_ => Task.Run(WriteAsync, cancellationToken))).ConfigureAwait(false);
        }
        finally
        {
            await done.CancelAsync().ConfigureAwait(false);
            await progress.ConfigureAwait(false);
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {written:N0} spans in {seconds:F1} s ({written / seconds:N0}/s)")).ConfigureAwait(false);
        return new FillResult(written, seconds, runId, startNanos, step, batch, Math.Max(1, writers));
    }

    private static async Task ProgressAsync(Func<long> written, long total, Stopwatch stopwatch, TextWriter log, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var n = written();
                await log.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {n:N0} of {total:N0} spans in {stopwatch.Elapsed.TotalSeconds:F0} s ({n / stopwatch.Elapsed.TotalSeconds:N0}/s)")).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The fill is over.
        }
    }
}
