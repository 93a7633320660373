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

        using var found = await Api.GetJsonAsync(api, "/api/v1/traces?service=outage-test&limit=1000");
        Assert.Equal(Math.Min(1000, acknowledged.Count), found.RootElement.GetProperty("traces").GetArrayLength());
    }

    private static Task<MeshProcess> StartMeshAsync(ClickHouseServer clickhouse) =>
        MeshProcess.StartAsync(extraArgs:
        [
            "--store", "clickhouse",
            "--clickhouse-url", clickhouse.HttpUrl.ToString(),
            "--clickhouse-database", ClickHouseServer.NewDatabaseName(),
        ]);
}
