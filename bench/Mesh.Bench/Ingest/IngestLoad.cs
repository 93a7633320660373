using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Mesh.Bench.Ingest;

/// <summary>
/// Drives a running Mesh with OTLP/HTTP protobuf exports from several concurrent clients for a fixed time,
/// sampling every second how many spans were acknowledged and how many the drainer wrote to the store
/// (from <c>/metrics</c>), then waits for the spool to drain.
/// </summary>
internal static partial class IngestLoad
{
    public static async Task<IngestResult> RunAsync(Uri otlp, Uri api, string token, int clients, TimeSpan duration, int spansPerRequest, TextWriter log, CancellationToken cancellationToken)
    {
        var template = SpanTemplate.Create(spansPerRequest, spansPerTrace: 5, startNanos: (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100);
        var runId = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        long sequence = 0;
        long acknowledgedSpans = 0;
        long throttled = 0;
        long failed = 0;
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler) { BaseAddress = otlp, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var metricsHttp = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };

        var writtenAtStart = await WrittenSpansAsync(metricsHttp).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var buffer = new byte[template.Length];
            while (!stop.IsCancellationRequested)
            {
                template.Stamp(buffer, runId, (ulong)Interlocked.Increment(ref sequence), UnixNanosNow());
                using var content = new ByteArrayContent(buffer);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                try
                {
                    using var response = await http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content, CancellationToken.None).ConfigureAwait(false);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Add(ref acknowledgedSpans, template.SpanCount);
                    }
                    else if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        Interlocked.Increment(ref throttled);
                        await Task.Delay(200).ConfigureAwait(false);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })).ToArray();

        var samples = new List<(double Seconds, long Acknowledged, long Written)>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var written = await WrittenSpansAsync(metricsHttp).ConfigureAwait(false) - writtenAtStart;
            samples.Add((stopwatch.Elapsed.TotalSeconds, Interlocked.Read(ref acknowledgedSpans), written));
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  t={stopwatch.Elapsed.TotalSeconds,5:F1}s acknowledged={Interlocked.Read(ref acknowledgedSpans),10:N0} written={written,10:N0} 429s={Interlocked.Read(ref throttled)}")).ConfigureAwait(false);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var loadSeconds = stopwatch.Elapsed.TotalSeconds;
        var acknowledged = Interlocked.Read(ref acknowledgedSpans);

        // The run is over when the store holds everything that was acknowledged.
        var drainStart = stopwatch.Elapsed.TotalSeconds;
        long writtenTotal;
        while ((writtenTotal = await WrittenSpansAsync(metricsHttp).ConfigureAwait(false) - writtenAtStart) < acknowledged)
        {
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            if (stopwatch.Elapsed.TotalSeconds - drainStart > 600)
            {
                throw new TimeoutException($"the store did not catch up within 10 minutes: {writtenTotal:N0} of {acknowledged:N0} written");
            }
        }

        var endToEnd = stopwatch.Elapsed.TotalSeconds;
        return new IngestResult(
            acknowledged,
            loadSeconds,
            endToEnd,
            Rates(samples.Select(s => s.Acknowledged)),
            Rates(samples.Select(s => s.Written)),
            Interlocked.Read(ref throttled),
            Interlocked.Read(ref failed));
    }

    private static double[] Rates(IEnumerable<long> cumulative)
    {
        var values = cumulative.ToArray();
        return values.Skip(1).Select((v, i) => (double)(v - values[i])).ToArray();
    }

    private static async Task<long> WrittenSpansAsync(HttpClient api)
    {
        var text = await api.GetStringAsync(new Uri("/metrics", UriKind.Relative)).ConfigureAwait(false);
        var match = WrittenPattern().Match(text);
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex("mesh_ingest_written_items_total\\{signal=\"traces\"\\} (\\d+)")]
    private static partial Regex WrittenPattern();

    private static long UnixNanosNow() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
}
