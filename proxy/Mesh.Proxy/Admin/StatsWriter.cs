using System.Text.Json;
using Mesh.Proxy.Runtime;
using Mesh.Proxy.Telemetry;

namespace Mesh.Proxy.Admin;

/// <summary>/stats: the proxy's internals as JSON, per cluster and endpoint (what a person debugging a mesh asks first).</summary>
internal static class StatsWriter
{
    public static byte[] Write(ProxyCounters c, RuntimeSnapshot? snapshot, OtlpExporter exporter, TimeProvider time)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("configVersion", snapshot?.Config.Version ?? "");
            w.WriteNumber("activeRequests", c.Active);
            w.WriteNumber("retries", c.Retries.Value);
            w.WriteNumber("retryBudgetExhausted", c.RetryBudgetExhausted.Value);
            w.WriteNumber("circuitOpen", c.CircuitOpen.Value);
            w.WriteNumber("rateLimited", c.RateLimited.Value);
            w.WriteNumber("noRoute", c.NoRoute.Value);
            w.WriteNumber("mirrored", c.Mirrored.Value);
            w.WriteStartObject("telemetry");
            w.WriteNumber("received", exporter.Received.Value);
            w.WriteNumber("dropped", exporter.Dropped.Value);
            w.WriteNumber("queued", exporter.Queued);
            w.WriteNumber("exportedSpans", exporter.ExportedSpans.Value);
            w.WriteNumber("exportedLogs", exporter.ExportedLogs.Value);
            w.WriteNumber("exportFailures", exporter.ExportFailures.Value);
            w.WriteEndObject();
            w.WriteStartArray("clusters");
            var now = time.GetUtcNow().UtcTicks;
            foreach (var cluster in snapshot?.Clusters.Values ?? [])
            {
                w.WriteStartObject();
                w.WriteString("name", cluster.Name);
                w.WriteNumber("inFlight", cluster.Breaker.InFlight);
                w.WriteNumber("pending", cluster.Breaker.Pending);
                w.WriteStartArray("endpoints");
                foreach (var e in cluster.Endpoints)
                {
                    w.WriteStartObject();
                    w.WriteString("endpoint", e.Key);
                    w.WriteString("version", e.Config.Version);
                    w.WriteNumber("weight", e.Weight);
                    w.WriteBoolean("weightOverridden", e.HasWeightOverride);
                    w.WriteNumber("outstanding", e.Outstanding);
                    w.WriteNumber("ewmaMs", Math.Round(e.EwmaMs, 3));
                    w.WriteBoolean("healthy", e.ActiveHealthy);
                    w.WriteBoolean("ejected", e.IsEjected(now));
                    w.WriteNumber("ejections", e.EjectionCount);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
