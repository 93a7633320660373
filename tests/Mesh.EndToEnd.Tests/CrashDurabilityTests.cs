using System.Collections.Concurrent;
using System.Net;
using Mesh.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Mesh.EndToEnd.Tests;

/// <summary>
/// A real ingest process is killed with SIGKILL while clients are sending. After a restart, every span whose
/// export was acknowledged must be readable, and no span may be stored twice.
/// </summary>
public sealed class CrashDurabilityTests(ITestOutputHelper output)
{
    private const int SpansPerRequest = 40;

    [Fact]
    public async Task Sigkill_DuringLoad_AcknowledgedSpansSurviveOnceEach_Sqlite()
    {
        await using var mesh = await MeshProcess.StartAsync();
        await RunCrashScenarioAsync(mesh, output);
    }

    /// <summary>Shared with the ClickHouse variant: load, kill, restart, verify.</summary>
    internal static async Task RunCrashScenarioAsync(MeshProcess mesh, ITestOutputHelper output)
    {
        var acknowledged = new ConcurrentBag<string>();
        var attempted = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var client = Otlp.HttpClient(mesh);
            while (!stop.IsCancellationRequested)
            {
                var traceId = Otlp.NewTraceId();
                var body = Otlp.TraceRequest(Enumerable.Range(0, SpansPerRequest).Select(_ => Otlp.Span("crash-test", traceId)));
                attempted.Add(traceId.ToString());
                try
                {
                    using var response = await Otlp.PostAsync(client, "/v1/traces", body);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.Add(traceId.ToString());
                    }
                }
                catch (HttpRequestException)
                {
                    // The process died under us: this export was not acknowledged.
                    await Task.Delay(20);
                }
                catch (TaskCanceledException)
                {
                }
            }
        })).ToArray();

        await Api.WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= 150), TimeSpan.FromSeconds(60), "150 exports were acknowledged");
        mesh.Kill();
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(senders);
        output.WriteLine($"acknowledged {acknowledged.Count} exports ({acknowledged.Count * SpansPerRequest} spans) of {attempted.Count} attempted before SIGKILL");

        await mesh.StartAsync(TimeSpan.FromSeconds(60));
        using var api = mesh.CreateApiClient();
        foreach (var traceId in acknowledged)
        {
            var spans = await Api.WaitForTraceAsync(api, traceId, SpansPerRequest, TimeSpan.FromSeconds(60));
            Assert.Equal(SpansPerRequest, spans.Length);
            Assert.Equal(SpansPerRequest, spans.Select(s => s.GetProperty("spanId").GetString()).Distinct().Count());
        }

        // Exports in flight at the kill may or may not have landed, but never twice.
        foreach (var traceId in attempted.Except(acknowledged))
        {
            using var response = await api.GetAsync(new Uri($"/api/v1/traces/{traceId}", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.Equal(SpansPerRequest, doc.RootElement.GetProperty("spans").GetArrayLength());
            }
        }
    }
}
