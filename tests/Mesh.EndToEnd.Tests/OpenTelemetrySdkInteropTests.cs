using System.Diagnostics;
using System.Text.Json;
using Mesh.Testing;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Xunit;

namespace Mesh.EndToEnd.Tests;

/// <summary>
/// The OpenTelemetry .NET SDK's own OTLP exporter (a client nobody here wrote) sends spans and logs over
/// gRPC and over HTTP/protobuf; every span must come back through the API with its attributes intact.
/// </summary>
[Collection(MeshCollection.Name)]
public sealed class OpenTelemetrySdkInteropTests(MeshFixture fixture)
{
    private readonly MeshProcess _mesh = fixture.Mesh;

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task SdkExporter_SendsSpans_EverySpanReadableWithAttributes(OtlpExportProtocol protocol)
    {
        var service = $"sdk-{protocol}-{Guid.NewGuid():N}"[..24];
        using var source = new ActivitySource("mesh.e2e.sdk");
        var traceIds = new List<string>();
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(source.Name)
            .SetSampler(new AlwaysOnSampler())
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service, serviceVersion: "2.0.1").AddAttributes([new("deployment.environment", "e2e")]))
            .AddOtlpExporter(o => Configure(o, protocol, "/v1/traces"))
            .Build())
        {
            for (var i = 0; i < 5; i++)
            {
                using var root = source.StartActivity("checkout", ActivityKind.Server)!;
                root.SetTag("http.request.method", "POST");
                root.SetTag("http.response.status_code", 200 + i);
                root.SetTag("cart.total", 12.5);
                root.SetTag("user.premium", true);
                root.SetTag("cart.items", new[] { "apple", "pear" });
                root.AddEvent(new ActivityEvent("payment.authorised", tags: new ActivityTagsCollection { ["amount"] = 125L }));
                using (var child = source.StartActivity("charge card", ActivityKind.Client)!)
                {
                    child.SetStatus(ActivityStatusCode.Error, "card declined");
                }

                traceIds.Add(root.TraceId.ToHexString());
            }

            Assert.True(provider.ForceFlush(10_000), "the SDK exporter failed to flush to Mesh");
        }

        using var api = _mesh.CreateApiClient();
        foreach (var traceId in traceIds)
        {
            var spans = await Api.WaitForTraceAsync(api, traceId, expectedSpans: 2);
            Assert.Equal(2, spans.Length);
            var root = spans.Single(s => s.GetProperty("name").GetString() == "checkout");
            var child = spans.Single(s => s.GetProperty("name").GetString() == "charge card");
            Assert.Equal(service, root.GetProperty("service").GetString());
            Assert.Equal("SERVER", root.GetProperty("kind").GetString());
            var attributes = root.GetProperty("attributes");
            Assert.Equal("POST", attributes.GetProperty("http.request.method").GetString());
            Assert.InRange(attributes.GetProperty("http.response.status_code").GetInt64(), 200, 204);
            Assert.Equal(12.5, attributes.GetProperty("cart.total").GetDouble());
            Assert.True(attributes.GetProperty("user.premium").GetBoolean());
            Assert.Equal(["apple", "pear"], attributes.GetProperty("cart.items").EnumerateArray().Select(e => e.GetString()));
            var ev = Assert.Single(root.GetProperty("events").EnumerateArray());
            Assert.Equal("payment.authorised", ev.GetProperty("name").GetString());
            Assert.Equal(125, ev.GetProperty("attributes").GetProperty("amount").GetInt64());
            var resource = root.GetProperty("resource").GetProperty("attributes");
            Assert.Equal("2.0.1", resource.GetProperty("service.version").GetString());
            Assert.Equal("e2e", resource.GetProperty("deployment.environment").GetString());
            Assert.Equal(root.GetProperty("spanId").GetString(), child.GetProperty("parentSpanId").GetString());
            Assert.Equal("ERROR", child.GetProperty("status").GetProperty("code").GetString());
            Assert.Equal("card declined", child.GetProperty("status").GetProperty("message").GetString());
        }

        using var found = await ApiJson.GetJsonAsync(api, $"/api/v1/traces?service={service}&limit=100");
        Assert.Equal(5, found.RootElement.GetProperty("traces").GetArrayLength());
        using var operations = await ApiJson.GetJsonAsync(api, $"/api/v1/services/{service}/operations");
        Assert.Equal(
            ["charge card", "checkout"],
            operations.RootElement.GetProperty("operations").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task SdkExporter_SendsLogs_LogsReadableWithTraceContext(OtlpExportProtocol protocol)
    {
        var service = $"sdklog-{protocol}-{Guid.NewGuid():N}"[..26];
        var marker = Guid.NewGuid().ToString("N");
        using var source = new ActivitySource("mesh.e2e.sdklogs");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        string traceId;
        using (var factory = LoggerFactory.Create(builder => builder.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service));
            o.AddOtlpExporter(e => Configure(e, protocol, "/v1/logs"));
        })))
        {
            var logger = factory.CreateLogger("mesh.e2e");
            using (var activity = source.StartActivity("work")!)
            {
                traceId = activity.TraceId.ToHexString();
                logger.LogError("order {OrderId} failed: {Marker}", 42, marker);
            }

            logger.LogInformation("all good {Marker}", marker);
        }

        using var api = _mesh.CreateApiClient();
        JsonElement[] logs = [];
        await Api.WaitUntilAsync(
            async () =>
            {
                using var doc = await ApiJson.GetJsonAsync(api, $"/api/v1/logs?service={service}");
                logs = doc.RootElement.GetProperty("logs").EnumerateArray().Select(e => e.Clone()).ToArray();
                return logs.Length >= 2;
            },
            TimeSpan.FromSeconds(30),
            "both SDK log records are stored");

        var error = logs.Single(l => l.GetProperty("severityNumber").GetInt32() == 17);
        Assert.Equal(traceId, error.GetProperty("traceId").GetString());
        // The .NET SDK exports the message template as the body and the template's values as attributes.
        Assert.Equal("order {OrderId} failed: {Marker}", error.GetProperty("body").GetString());
        Assert.Equal(marker, error.GetProperty("attributes").GetProperty("Marker").GetString());
        Assert.Equal(42, error.GetProperty("attributes").GetProperty("OrderId").GetInt64());

        using var byTrace = await ApiJson.GetJsonAsync(api, $"/api/v1/logs?traceId={traceId}");
        Assert.Single(byTrace.RootElement.GetProperty("logs").EnumerateArray());
        using var errorsOnly = await ApiJson.GetJsonAsync(api, $"/api/v1/logs?service={service}&severity=error");
        Assert.Single(errorsOnly.RootElement.GetProperty("logs").EnumerateArray());
    }

    private void Configure(OtlpExporterOptions options, OtlpExportProtocol protocol, string httpPath)
    {
        options.Protocol = protocol;
        options.Endpoint = protocol == OtlpExportProtocol.Grpc ? _mesh.OtlpGrpcUrl : new Uri(_mesh.OtlpHttpUrl, httpPath);
        options.Headers = $"Authorization=Bearer {MeshProcess.IngestToken}";
        options.ExportProcessorType = ExportProcessorType.Batch;
        options.TimeoutMilliseconds = 10_000;
    }
}
