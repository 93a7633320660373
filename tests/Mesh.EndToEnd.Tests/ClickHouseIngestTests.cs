using System.Collections.Concurrent;
using System.Net;
using Mesh.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Mesh.EndToEnd.Tests;

/// <summary>
/// Ingest into a real ClickHouse server: durability across SIGKILL of the ingest process, and a store
/// outage during load (ClickHouse killed, then restarted) losing nothing acknowledged.
/// </summary>
public sealed class ClickHouseIngestTests(ITestOutputHelper output)
{
    private const int SpansPerRequest = 40;

    [Fact]
    public async Task Sigkill_DuringLoad_AcknowledgedSpansSurviveOnceEach_ClickHouse()
    {
        using var clickhouse = new ClickHouseServer();
        await clickhouse.StartAsync();
        await using var mesh = await StartMeshAsync(clickhouse);
        await CrashDurabilityTests.RunCrashScenarioAsync(mesh, output);
    }

    [Fact]
    public async Task StoreOutage_DuringLoad_NothingAcknowledgedIsLost()
    {
        using var clickhouse = new ClickHouseServer();
        await clickhouse.StartAsync();
        await using var mesh = await StartMeshAsync(clickhouse);
        using var api = mesh.CreateApiClient();
        var acknowledged = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            using var client = Otlp.HttpClient(mesh);
            while (!stop.IsCancellationRequested)
            {
                var traceId = Otlp.NewTraceId();
                var body = Otlp.TraceRequest(Enumerable.Range(0, SpansPerRequest).Select(_ => Otlp.Span("outage-test", traceId)));
                using var response = await Otlp.PostAsync(client, "/v1/traces", body);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                acknowledged.Add(traceId.ToString());
                await Task.Delay(5);
            }
        })).ToArray();

        await Api.WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= 50), TimeSpan.FromSeconds(60), "50 exports were acknowledged");
        clickhouse.Stop();
        var atOutage = acknowledged.Count;

        // Ingest keeps acknowledging into its spool while the store is gone, and says so in its metrics.
        await Api.WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= atOutage + 100), TimeSpan.FromSeconds(60), "100 more exports were acknowledged during the outage");
        await Api.WaitUntilAsync(
            async () =>
            {
                var metrics = await api.GetStringAsync(new Uri("/metrics", UriKind.Relative));
                return System.Text.RegularExpressions.Regex.IsMatch(metrics, "mesh_ingest_write_retries_total [1-9]");
            },
            TimeSpan.FromSeconds(60),
            "the drainer reports failed writes being retried");

        await clickhouse.StartAsync();
        await stop.CancelAsync();
        await Task.WhenAll(senders);
        output.WriteLine($"acknowledged {acknowledged.Count} exports, {acknowledged.Count - atOutage} of them during the outage");

        foreach (var traceId in acknowledged)
        {
            var spans = await Api.WaitForTraceAsync(api, traceId, SpansPerRequest, TimeSpan.FromSeconds(120));
            Assert.Equal(SpansPerRequest, spans.Length);
            Assert.Equal(SpansPerRequest, spans.Select(s => s.GetProperty("spanId").GetString()).Distinct().Count());
        }

        using var found = await ApiJson.GetJsonAsync(api, "/api/v1/traces?service=outage-test&limit=1000");
        Assert.Equal(Math.Min(1000, acknowledged.Count), found.RootElement.GetProperty("traces").GetArrayLength());
    }

    [Fact]
    public async Task StoreDown_SpoolFull_Answers429AndResourceExhaustedWithRetryDelay()
    {
        using var clickhouse = new ClickHouseServer();
        await clickhouse.StartAsync();
        await using var mesh = await StartMeshAsync(clickhouse, "--spool-max-bytes", "1048576");
        clickhouse.Stop();
        using var client = Otlp.HttpClient(mesh);
        var acknowledged = new List<string>();
        HttpResponseMessage? throttled = null;
        for (var i = 0; i < 200 && throttled is null; i++)
        {
            var traceId = Otlp.NewTraceId();
            var response = await Otlp.PostAsync(client, "/v1/traces", Otlp.TraceRequest(Enumerable.Range(0, 100).Select(_ => Otlp.Span("backpressure", traceId))));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throttled = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                acknowledged.Add(traceId.ToString());
                response.Dispose();
            }
        }

        Assert.NotNull(throttled);
        using (throttled)
        {
            Assert.InRange(int.Parse(throttled.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        }

        // gRPC shares the spool: a request that does not fit gets RESOURCE_EXHAUSTED with a RetryInfo.
        GrpcResult grpc;
        var attempts = 0;
        do
        {
            var traceId = Otlp.NewTraceId();
            grpc = await Otlp.GrpcAsync(mesh, Mesh.Ingest.Receivers.OtlpGrpcEndpoints.TraceExportPath, Otlp.TraceRequest(Enumerable.Range(0, 100).Select(_ => Otlp.Span("backpressure", traceId))));
            Assert.True(grpc.Status is 0 or 8, $"unexpected grpc-status {grpc.Status}: {grpc.Message}");
            if (grpc.Status == 0)
            {
                acknowledged.Add(traceId.ToString());
            }
        }
        while (grpc.Status != 8 && ++attempts < 50);

        Assert.Equal(8, grpc.Status);
        Assert.Contains("spool is full", grpc.Message, StringComparison.Ordinal);
        Assert.NotNull(grpc.DetailsBin);
        var details = Mesh.Otlp.Proto.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(Pad(grpc.DetailsBin!)));
        var retry = Mesh.Otlp.Proto.Rpc.RetryInfo.Parser.ParseFrom(details.Details.Single(d => d.TypeUrl.EndsWith("google.rpc.RetryInfo", StringComparison.Ordinal)).Value);
        Assert.True(retry.RetryDelay.Seconds >= 1);
        output.WriteLine($"{acknowledged.Count} exports acknowledged before the 1 MiB spool filled");

        // The store comes back: the spool drains, and everything acknowledged is there; ingest accepts again.
        await clickhouse.StartAsync();
        using var api = mesh.CreateApiClient();
        foreach (var traceId in acknowledged)
        {
            Assert.Equal(100, (await Api.WaitForTraceAsync(api, traceId, 100, TimeSpan.FromSeconds(120))).Length);
        }

        using var again = await Otlp.PostAsync(client, "/v1/traces", Otlp.TraceRequest([Otlp.Span("backpressure")]));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    private static string Pad(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');

    private static Task<MeshProcess> StartMeshAsync(ClickHouseServer clickhouse, params string[] extra) =>
        MeshProcess.StartAsync(extraArgs:
        [
            "--store", "clickhouse",
            "--clickhouse-url", clickhouse.HttpUrl.ToString(),
            "--clickhouse-database", ClickHouseServer.NewDatabaseName(),
            .. extra,
        ]);
}
