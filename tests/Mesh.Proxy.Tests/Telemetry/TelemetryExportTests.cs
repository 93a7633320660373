using System.Net;
using System.Text.Json;
using Mesh.Proxy.Tests.Support;
using Mesh.Testing;

namespace Mesh.Proxy.Tests.Telemetry;

/// <summary>Spans and access logs reach a real ingest (<c>mesh up</c>) and read back through its API with the convention's attributes.</summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task Export_SpansAndAccessLogs_ArriveAtIngestWithAttributes()
    {
        await using var mesh = await MeshProcess.StartAsync();
        await using var up = await Upstream.TextAsync("ok");
        await using var fail = await Upstream.TextAsync("boom", 503);
        var yaml = $$"""
            service: { name: checkout, version: 2.1.0, namespace: shop }
            listeners:
              - { name: out, port: {port}, mode: outbound }
            routes:
              - { name: items, match: { path: { prefix: /items } }, pathTemplate: "/items/{id}", cluster: inventory, retry: { attempts: 2, on: [5xx], backoffBase: 1ms, backoffMax: 1ms } }
              - { name: broken, match: { path: { prefix: /broken } }, cluster: broken }
            clusters:
              - { name: inventory, service: inventory-svc, namespace: shop, endpoints: [{ address: 127.0.0.1, port: {{up.Port}}, version: v3 }] }
              - { name: broken, endpoints: [{ address: 127.0.0.1, port: {{fail.Port}} }] }
            telemetry: { otlpEndpoint: "{{mesh.OtlpHttpUrl}}", token: {{MeshProcess.IngestToken}}, exportInterval: 100ms }
            """;
        await using var proxy = await TestProxy.StartAsync(yaml);
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/items/42"))
        {
            request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
            using var response = await proxy.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        const string failTrace = "5bf92f3577b34da6a3ce929d0e0e4737";
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/broken"))
        {
            request.Headers.Add("traceparent", $"00-{failTrace}-00f067aa0ba902b7-01");
            (await proxy.Client.SendAsync(request)).Dispose();
        }

        using var api = mesh.CreateApiClient();
        var span = await PollAsync(api, $"/api/v1/traces/{traceId}", "spans");
        Assert.Equal("CLIENT", span.GetProperty("kind").GetString());
        Assert.Equal("checkout", span.GetProperty("service").GetString());
        Assert.Equal("00f067aa0ba902b7", span.GetProperty("parentSpanId").GetString());
        Assert.Equal("GET /items/{id}", span.GetProperty("name").GetString());
        var a = span.GetProperty("attributes");
        Assert.Equal("outbound", a.GetProperty("mesh.direction").GetString());
        Assert.Equal("checkout", a.GetProperty("mesh.source.service").GetString());
        Assert.Equal("2.1.0", a.GetProperty("mesh.source.version").GetString());
        Assert.Equal("inventory-svc", a.GetProperty("mesh.destination.service").GetString());
        Assert.Equal("v3", a.GetProperty("mesh.destination.version").GetString());
        Assert.Equal("shop", a.GetProperty("mesh.destination.namespace").GetString());
        Assert.Equal($"127.0.0.1:{up.Port}", a.GetProperty("mesh.destination.endpoint").GetString());
        Assert.Equal("items", a.GetProperty("mesh.route").GetString());
        Assert.Equal("/items/{id}", a.GetProperty("http.route").GetString());
        Assert.Equal("/items/42", a.GetProperty("url.path").GetString());
        Assert.Equal("GET", a.GetProperty("http.request.method").GetString());
        Assert.Equal(200, a.GetProperty("http.response.status_code").GetInt64());
        Assert.Equal(2, a.GetProperty("http.response.body.size").GetInt64());
        Assert.Equal(1, a.GetProperty("mesh.attempts").GetInt64());
        Assert.True(a.GetProperty("mesh.upstream.latency_ms").GetDouble() > 0);

        var failed = await PollAsync(api, $"/api/v1/traces/{failTrace}", "spans");
        Assert.Equal("ERROR", failed.GetProperty("status").GetProperty("code").GetString());
        Assert.Equal(503, failed.GetProperty("attributes").GetProperty("http.response.status_code").GetInt64());

        var log = await PollAsync(api, $"/api/v1/logs?traceId={traceId}", "logs");
        Assert.Equal("INFO", log.GetProperty("severityText").GetString());
        Assert.StartsWith("GET /items/42 200 ", log.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal(span.GetProperty("spanId").GetString(), log.GetProperty("spanId").GetString());
        Assert.Equal("items", log.GetProperty("attributes").GetProperty("mesh.route").GetString());
        var failedLog = await PollAsync(api, $"/api/v1/logs?traceId={failTrace}", "logs");
        Assert.Equal("ERROR", failedLog.GetProperty("severityText").GetString());
    }

    private static async Task<JsonElement> PollAsync(HttpClient api, string path, string array)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await api.GetAsync(path);
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                var items = JsonDocument.Parse(last).RootElement.GetProperty(array);
                if (items.GetArrayLength() > 0)
                {
                    return items[0].Clone();
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{path} returned nothing: {last}");
    }
}
