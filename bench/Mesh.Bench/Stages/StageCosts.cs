using System.Diagnostics;
using System.Globalization;
using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Otlp.Conversion;
using Mesh.Otlp.Proto.Collector.Trace;
using Mesh.Otlp.Storage;

namespace Mesh.Bench.Stages;

/// <summary>
/// The drain path's stages timed one after the other on one thread, per span: protobuf parse, conversion to the
/// core model, and the store write. Not a whole-system number: it says which stage to work on.
/// </summary>
internal static class StageCosts
{
    public static async Task RunAsync(ITelemetryStore store, int spans, int batch, TextWriter log, CancellationToken cancellationToken)
    {
        const int perRequest = 500;
        var template = SpanTemplate.Create(perRequest, 5, (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100);
        var requests = new List<byte[]>();
        for (var i = 0; i < Math.Max(1, batch / perRequest); i++)
        {
            var bytes = new byte[template.Length];
            template.Stamp(bytes, 7, (ulong)i + 1, NowNanos());
            requests.Add(bytes);
        }

        // Warm-up so the timed part runs tier-1 code.
        var warm = new List<Span>();
        foreach (var r in requests)
        {
            OtlpSpans.ToModel(ExportTraceServiceRequest.Parser.ParseFrom(r), warm);
        }

        var parse = TimeSpan.Zero;
        var convert = TimeSpan.Zero;
        var write = TimeSpan.Zero;
        var done = 0;
        ulong sequence = 1_000_000;
        var cpuAtStart = Environment.CpuUsage.TotalTime;
        while (done < spans)
        {
            var parsed = new List<ExportTraceServiceRequest>(requests.Count);
            foreach (var r in requests)
            {
                template.Stamp(r, 7, sequence++, NowNanos());
            }

            var t0 = Stopwatch.GetTimestamp();
            foreach (var r in requests)
            {
                parsed.Add(ExportTraceServiceRequest.Parser.ParseFrom(r));
            }

            var t1 = Stopwatch.GetTimestamp();
            var model = new List<Span>(batch);
            foreach (var p in parsed)
            {
                OtlpSpans.ToModel(p, model);
            }

            var t2 = Stopwatch.GetTimestamp();
            await store.SpanWriter.WriteSpansAsync(model, WriteMode.First, cancellationToken).ConfigureAwait(false);
            var t3 = Stopwatch.GetTimestamp();
            parse += Stopwatch.GetElapsedTime(t0, t1);
            convert += Stopwatch.GetElapsedTime(t1, t2);
            write += Stopwatch.GetElapsedTime(t2, t3);
            done += model.Count;
        }

        var modelCpu = Environment.CpuUsage.TotalTime - cpuAtStart;

        // The path the pipeline takes for a store that encodes OTLP bytes itself: no parse, no model.
        var otlp = TimeSpan.Zero;
        var otlpCpu = TimeSpan.Zero;
        var otlpDone = 0;
        var otlpWriter = store.SpanWriter as IOtlpSpanWriter;
        if (otlpWriter is not null)
        {
            var memories = requests.Select(r => (ReadOnlyMemory<byte>)r).ToList();
            var cpuBefore = Environment.CpuUsage.TotalTime;
            while (otlpDone < spans)
            {
                foreach (var r in requests)
                {
                    template.Stamp(r, 7, sequence++, NowNanos());
                }

                var t0 = Stopwatch.GetTimestamp();
                await otlpWriter.WriteOtlpAsync(memories, WriteMode.First, cancellationToken).ConfigureAwait(false);
                otlp += Stopwatch.GetElapsedTime(t0);
                otlpDone += requests.Count * perRequest;
            }

            otlpCpu = Environment.CpuUsage.TotalTime - cpuBefore;
        }

        string Per(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalMicroseconds / done,8:F2} µs/span ({done / t.TotalSeconds,12:N0} spans/s)");
        await log.WriteLineAsync($"spans: {done:N0} in batches of {batch:N0}").ConfigureAwait(false);
        await log.WriteLineAsync($"parse   {Per(parse)}").ConfigureAwait(false);
        await log.WriteLineAsync($"convert {Per(convert)}").ConfigureAwait(false);
        await log.WriteLineAsync($"write   {Per(write)}").ConfigureAwait(false);
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"model path, this process's CPU {modelCpu.TotalMicroseconds / done:F2} µs/span (parse + convert + write)")).ConfigureAwait(false);
        if (otlpDone > 0 && otlpWriter is not null)
        {
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"otlp bytes → store {otlp.TotalMicroseconds / otlpDone,8:F2} µs/span ({otlpDone / otlp.TotalSeconds,12:N0} spans/s), this process's CPU {otlpCpu.TotalMicroseconds / otlpDone:F2} µs/span")).ConfigureAwait(false);
            await RollupCosts.RunAsync(otlpWriter, requests, perRequest, (r, s) => template.Stamp(r, 7, s, NowNanos()), spans, log, cancellationToken).ConfigureAwait(false);
        }
    }

    private static long NowNanos() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
}
