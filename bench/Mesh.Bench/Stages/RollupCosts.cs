using System.Globalization;
using Mesh.Analytics.Edges;
using Mesh.Analytics.Rollups;
using Mesh.Core.Rollups;
using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Otlp.Conversion;
using Mesh.Otlp.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Bench.Stages;

/// <summary>
/// The drain's cost with rollups on, per span: the rollup observer alone, read the old way (every request parsed into
/// the model) and the new way (span facts from the wire), and the wire store write followed by the observer, as the
/// drainer runs them for one batch. Process CPU time and bytes allocated, both per span.
/// </summary>
internal static class RollupCosts
{
    public static async Task RunAsync(IOtlpSpanWriter store, List<byte[]> requests, int perRequest, Action<byte[], ulong> stamp, int spans, TextWriter log, CancellationToken cancellationToken)
    {
        var memories = requests.Select(r => (ReadOnlyMemory<byte>)r).ToList();
        var batch = new IngestedBatch([], memories, WriteMode.First);
        ulong sequence = 5_000_000;
        void Restamp()
        {
            foreach (var r in requests)
            {
                stamp(r, sequence++);
            }
        }

        // Warm-up of both readers.
        using (var warm = NewStage())
        {
            await warm.OnBatchStoredAsync(batch, cancellationToken).ConfigureAwait(false);
            ModelRollups(requests, new EdgeExtractor(new EdgeExtractorOptions()), new RollupAccumulator());
        }

        var model = new EdgeExtractor(new EdgeExtractorOptions());
        var accumulator = new RollupAccumulator();
        var before = await MeasureAsync(spans, requests.Count * perRequest, () =>
        {
            Restamp();
            ModelRollups(requests, model, accumulator);
            return Task.CompletedTask;
        }).ConfigureAwait(false);

        using var stage = NewStage();
        var after = await MeasureAsync(spans, requests.Count * perRequest, async () =>
        {
            Restamp();
            await stage.OnBatchStoredAsync(batch, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);

        using var drainStage = NewStage();
        var storeOnly = await MeasureAsync(spans, requests.Count * perRequest, async () =>
        {
            Restamp();
            await store.WriteOtlpAsync(memories, WriteMode.First, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        var drain = await MeasureAsync(spans, requests.Count * perRequest, async () =>
        {
            Restamp();
            await store.WriteOtlpAsync(memories, WriteMode.First, cancellationToken).ConfigureAwait(false);
            await drainStage.OnBatchStoredAsync(batch, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);

        await log.WriteLineAsync($"rollups, model parse (before)   {before}").ConfigureAwait(false);
        await log.WriteLineAsync($"rollups, wire span facts (now)  {after}").ConfigureAwait(false);
        await log.WriteLineAsync($"otlp bytes → store, no rollups  {storeOnly}").ConfigureAwait(false);
        await log.WriteLineAsync($"otlp bytes → store + rollups    {drain}").ConfigureAwait(false);
    }

    /// <summary>The rollup observer as it was: every request parsed into the model, facts read from each span.</summary>
    private static void ModelRollups(List<byte[]> requests, EdgeExtractor extractor, RollupAccumulator accumulator)
    {
        var parsed = new List<Span>();
        var samples = new List<EdgeSample>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var request in requests)
        {
            parsed.Clear();
            if (OtlpSpans.TryToModel(request, parsed))
            {
                foreach (var span in parsed)
                {
                    extractor.Observe(span, now, samples);
                }
            }
        }

        extractor.Expire(now, samples);
        foreach (var sample in samples)
        {
            accumulator.Add(sample);
        }
    }

    private static RollupStage NewStage() => new(new DiscardingWriter(), new RollupStageOptions(), TimeProvider.System, NullLogger<RollupStage>.Instance);

    private static async Task<Cost> MeasureAsync(int spans, int perRound, Func<Task> round)
    {
        var done = 0;
        var cpu = Environment.CpuUsage.TotalTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (done < spans)
        {
            await round().ConfigureAwait(false);
            done += perRound;
        }

        return new Cost(
            done,
            Environment.CpuUsage.TotalTime - cpu,
            System.Diagnostics.Stopwatch.GetElapsedTime(started),
            GC.GetTotalAllocatedBytes(precise: false) - allocated);
    }

    private readonly record struct Cost(int Spans, TimeSpan Cpu, TimeSpan Wall, long Allocated)
    {
        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"CPU {Cpu.TotalMicroseconds / Spans,7:F2} µs/span, wall {Wall.TotalMicroseconds / Spans,7:F2} µs/span, {Allocated / (double)Spans,8:F0} B/span allocated");
    }

    private sealed class DiscardingWriter : IRollupWriter
    {
        public ValueTask WriteAsync(IReadOnlyList<RollupRow> rows, string contributionId, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
