using System.Diagnostics;
using System.Globalization;
using Mesh.Core.Telemetry;
using Mesh.Proxy.Config;
using Mesh.Proxy.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Bench.Proxy;

/// <summary>
/// Per-request telemetry cost in isolation, on one thread: the request-thread part (a record filled and handed
/// over) and the exporter part (records encoded into OTLP trace and log requests), as bytes allocated on this
/// thread and CPU µs per record. No sockets, no other process: the numbers barely move on a busy machine.
/// </summary>
internal static class TelemetryCost
{
    public static async Task RunAsync(int records, int batch, TextWriter log)
    {
        var service = new ServiceIdentity { Name = "bench", Version = "v1", Namespace = "default" };
        var resource = OtlpEncoder.Resource(service);
        var batchRecords = new RequestRecord[batch];
        using var writer = new ProtoWriter();

        // Warm-up so the timed part runs tier-1 code.
        for (var round = 0; round < 3; round++)
        {
            Encode(writer, resource, batchRecords, 20_000);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var cpu0 = Environment.CpuUsage.TotalTime;
        var t0 = Stopwatch.GetTimestamp();
        var bytes = Encode(writer, resource, batchRecords, records);
        var wall = Stopwatch.GetElapsedTime(t0);
        var cpu = Environment.CpuUsage.TotalTime - cpu0;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"telemetry encode: {records} records in batches of {batch}: {(double)allocated / records:0.0} B allocated/record, {cpu.TotalMicroseconds / records:0.00} µs CPU/record ({wall.TotalMicroseconds / records:0.00} µs wall), {(double)bytes / records:0} B of OTLP (spans + logs) per record")).ConfigureAwait(false);

        // The request thread's part: one record handed to the real exporter (its loop drains on another thread and
        // fails to reach the closed port: that is not counted here, only this thread's allocations and time are).
        var config = new ProxyConfig { Service = service, Telemetry = new TelemetryConfig { OtlpEndpoint = new Uri("http://127.0.0.1:9/") } };
        await using var exporter = new OtlpExporter(() => config, 1 << 17, TimeProvider.System, NullLogger.Instance);
        const int submits = 100_000;
        // Warm-up fills the queue once (its ring grows to full size), then lets the loop drain it.
        for (var i = 0; i < submits; i++)
        {
            exporter.Submit(Record(i));
        }

        while (exporter.Queued > 0)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }

        before = GC.GetAllocatedBytesForCurrentThread();
        t0 = Stopwatch.GetTimestamp();
        for (var i = 0; i < submits; i++)
        {
            exporter.Submit(Record(i));
        }

        wall = Stopwatch.GetElapsedTime(t0);
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"telemetry hand-over (request thread): {(double)allocated / submits:0.0} B allocated/record, {wall.TotalMicroseconds / submits:0.000} µs wall/record, dropped {exporter.Dropped.Value}")).ConfigureAwait(false);
    }

    private static long Encode(ProtoWriter writer, byte[] resource, RequestRecord[] batch, int records)
    {
        long bytes = 0;
        for (var done = 0; done < records; done += batch.Length)
        {
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = Record(done + i);
            }

            writer.Reset();
            OtlpEncoder.Traces(writer, resource, batch);
            bytes += writer.Length;
            writer.Reset();
            OtlpEncoder.Logs(writer, resource, batch);
            bytes += writer.Length;
        }

        return bytes;
    }

    private static RequestRecord Record(int i) => new()
    {
        TraceId = new TraceId(0x0102030405060708, (ulong)i + 1),
        SpanId = new SpanId((ulong)i + 7),
        ParentSpanId = new SpanId(0x1111),
        Sampled = true,
        Direction = "ingress",
        StartUnixNano = 1_700_000_000_000_000_000 + (i * 1000L),
        EndUnixNano = 1_700_000_000_000_400_000 + (i * 1000L),
        Method = "GET",
        Path = "/api/orders/42",
        HttpRoute = "/api/orders/{id}",
        Route = "orders",
        Status = 200,
        SourceService = "bench",
        SourceVersion = "v1",
        SourceNamespace = "default",
        DestinationService = "orders",
        DestinationVersion = "v2",
        DestinationNamespace = "default",
        DestinationEndpoint = "127.0.0.1:8080",
        RequestBytes = 0,
        ResponseBytes = 2,
        Attempts = 1,
        UpstreamLatencyMs = 0.412,
        Protocol = "HTTP/1.1",
    };
}
