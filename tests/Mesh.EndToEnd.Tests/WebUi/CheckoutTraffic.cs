using System.Diagnostics;
using Mesh.Testing;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mesh.EndToEnd.Tests.WebUi;

/// <summary>
/// Real traces across five services, sent with the OpenTelemetry .NET SDK's OTLP exporter (one tracer provider
/// per service, as five processes would have), plus an access-log line per request through the SDK's logger.
/// </summary>
internal static class CheckoutTraffic
{
    public static readonly string[] Services = ["frontend", "checkout", "payments", "inventory", "postgres"];

    /// <summary>Sends one checkout request; <paramref name="slow"/> makes the database slower and adds a retry span.</summary>
    public static string Send(MeshProcess mesh, string prefix, string runId, bool slow)
    {
        var sources = Services.ToDictionary(s => s, s => new ActivitySource($"{prefix}.{s}"));
        var providers = Services.Select(s => Sdk.CreateTracerProviderBuilder()
            .AddSource(sources[s].Name)
            .SetSampler(new AlwaysOnSampler())
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService($"{prefix}-{s}", serviceVersion: "1.4.2"))
            .AddOtlpExporter(o => Configure(o, mesh, "/v1/traces"))
            .Build()).ToList();
        using var logs = LoggerFactory.Create(b => b.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService($"{prefix}-frontend"));
            o.AddOtlpExporter(e => Configure(e, mesh, "/v1/logs"));
        }));
        var accessLog = logs.CreateLogger("access");
        var start = DateTimeOffset.UtcNow.AddSeconds(-5);
        string traceId;
        try
        {
            using (var root = Start(sources["frontend"], "GET /checkout", ActivityKind.Server, start, null))
            {
                traceId = root.TraceId.ToHexString();
                root.SetTag("http.request.method", "GET");
                root.SetTag("http.route", "/checkout");
                root.SetTag("http.response.status_code", 200);
                root.SetTag("e2e.run", runId);
                using (var order = Start(sources["checkout"], "POST /orders", ActivityKind.Server, start.AddMilliseconds(3), root))
                {
                    End(Start(sources["payments"], "charge card", ActivityKind.Server, start.AddMilliseconds(6), order), start.AddMilliseconds(slow ? 36 : 30));
                    if (slow)
                    {
                        var retry = Start(sources["payments"], "retry charge", ActivityKind.Server, start.AddMilliseconds(37), order);
                        retry.SetStatus(ActivityStatusCode.Error, "card issuer timeout");
                        End(retry, start.AddMilliseconds(40));
                    }

                    using (var reserve = Start(sources["inventory"], "reserve stock", ActivityKind.Server, start.AddMilliseconds(41), order))
                    {
                        var select = Start(sources["inventory"], "SELECT stock", ActivityKind.Client, start.AddMilliseconds(43), reserve);
                        select.SetTag("db.system", "postgresql");
                        select.SetTag("db.query.text", "SELECT qty FROM stock WHERE sku = $1");
                        using (var db = Start(sources["postgres"], "query", ActivityKind.Server, start.AddMilliseconds(44), select))
                        {
                            db.AddEvent(new ActivityEvent("rows fetched", start.AddMilliseconds(slow ? 80 : 50), new ActivityTagsCollection { ["rows"] = 1L }));
                            End(db, start.AddMilliseconds(slow ? 84 : 52));
                        }

                        End(select, start.AddMilliseconds(slow ? 85 : 53));
                        End(reserve, start.AddMilliseconds(slow ? 86 : 55));
                    }

                    End(order, start.AddMilliseconds(slow ? 90 : 60));
                }

                accessLog.LogInformation("GET /checkout 200");
                End(root, start.AddMilliseconds(slow ? 95 : 64));
            }
        }
        finally
        {
            foreach (var p in providers)
            {
                p.ForceFlush(10_000);
                p.Dispose();
            }

            foreach (var s in sources.Values)
            {
                s.Dispose();
            }
        }

        return traceId;
    }

    private static Activity Start(ActivitySource source, string name, ActivityKind kind, DateTimeOffset at, Activity? parent) =>
        source.StartActivity(name, kind, parent?.Context ?? default, startTime: at)
            ?? throw new InvalidOperationException($"the SDK did not sample {source.Name}");

    private static void End(Activity activity, DateTimeOffset at)
    {
        activity.SetEndTime(at.UtcDateTime);
        activity.Stop();
    }

    private static void Configure(OtlpExporterOptions options, MeshProcess mesh, string path)
    {
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = new Uri(mesh.OtlpHttpUrl, path);
        options.Headers = $"Authorization=Bearer {MeshProcess.IngestToken}";
        options.ExportProcessorType = ExportProcessorType.Batch;
        options.TimeoutMilliseconds = 10_000;
    }
}
