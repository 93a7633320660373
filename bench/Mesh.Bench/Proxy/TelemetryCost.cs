using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Mesh.Core.Telemetry;
using Mesh.Proxy.Config;
using Mesh.Proxy.Telemetry;

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
        var list = new List<RequestRecord>(batch);

        // Warm-up so the timed part runs tier-1 code.
        for (var round = 0; round < 3; round++)
        {
            Encode(resource, list, batch, 20_000);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var cpu0 = Environment.CpuUsage.TotalTime;
        var t0 = Stopwatch.GetTimestamp();
        var bytes = Encode(resource, list, batch, records);
        var wall = Stopwatch.GetElapsedTime(t0);
        var cpu = Environment.CpuUsage.TotalTime - cpu0;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"telemetry encode: {records} records in batches of {batch}: {(double)allocated / records:0} B allocated/record, {cpu.TotalMicroseconds / records:0.00} µs CPU/record ({wall.TotalMicroseconds / records:0.00} µs wall), {(double)bytes / records:0} B of OTLP (spans + logs) per record")).ConfigureAwait(false);
    }

    private static long Encode(Mesh.Otlp.Proto.Resource.Resource resource, List<RequestRecord> list, int batch, int records)
    {
        long bytes = 0;
        for (var done = 0; done < records; done += batch)
        {
            list.Clear();
            for (var i = 0; i < batch; i++)
            {
                list.Add(Record(done + i));
            }

            bytes += OtlpEncoder.Traces(resource, list).ToByteArray().Length;
            bytes += OtlpEncoder.Logs(resource, list).ToByteArray().Length;
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
