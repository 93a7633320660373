using System.Globalization;
using System.Text;
using Mesh.Proxy.Runtime;
using Mesh.Proxy.Telemetry;

namespace Mesh.Proxy.Admin;

/// <summary>Prometheus text format: RED per route/cluster, then proxy internals (endpoints, breakers, budgets, exporter).</summary>
internal static class PrometheusWriter
{
    public static string Write(ProxyCounters c, RuntimeSnapshot? snapshot, OtlpExporter exporter, TimeProvider time)
    {
        var s = new StringBuilder();
        s.Append("# TYPE mesh_proxy_requests_total counter\n");
        foreach (var r in c.Routes)
        {
            foreach (var (status, count) in r.ByStatus())
            {
                s.Append(CultureInfo.InvariantCulture, $"mesh_proxy_requests_total{{route=\"{Esc(r.Route)}\",cluster=\"{Esc(r.Cluster)}\",code=\"{status}\"}} {count}\n");
            }
        }

        s.Append("# TYPE mesh_proxy_request_duration_seconds histogram\n");
        foreach (var r in c.Routes)
        {
            var buckets = r.Buckets();
            long cumulative = 0;
            var labels = $"route=\"{Esc(r.Route)}\",cluster=\"{Esc(r.Cluster)}\"";
            for (var i = 0; i < RouteMetrics.BucketsMs.Length; i++)
            {
                cumulative += buckets[i];
                s.Append(CultureInfo.InvariantCulture, $"mesh_proxy_request_duration_seconds_bucket{{{labels},le=\"{RouteMetrics.BucketsMs[i] / 1000}\"}} {cumulative}\n");
            }

            cumulative += buckets[^1];
            s.Append(CultureInfo.InvariantCulture, $"mesh_proxy_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {cumulative}\n");
            s.Append(CultureInfo.InvariantCulture, $"mesh_proxy_request_duration_seconds_sum{{{labels}}} {r.SumSeconds}\n");
            s.Append(CultureInfo.InvariantCulture, $"mesh_proxy_request_duration_seconds_count{{{labels}}} {cumulative}\n");
        }

        Gauge(s, "mesh_proxy_requests_active", c.Active);
        foreach (var (name, counter) in new (string, Counter)[]
        {
            ("no_route", c.NoRoute), ("retries", c.Retries), ("retry_budget_exhausted", c.RetryBudgetExhausted),
            ("circuit_open", c.CircuitOpen), ("panic_picks", c.PanicPicks), ("upstream_timeouts", c.UpstreamTimeouts),
            ("upstream_connect_failures", c.ConnectFailures), ("upstream_resets", c.UpstreamResets), ("rate_limited", c.RateLimited),
            ("fault_delays", c.FaultDelays), ("fault_aborts", c.FaultAborts), ("mirrored", c.Mirrored),
            ("mirror_failures", c.MirrorFailures), ("mirror_skipped_streamed_body", c.MirrorSkippedBody),
            ("ejections_skipped_max_percent", c.EjectionsSkipped), ("health_check_failures", c.HealthCheckFailures),
            ("config_reloads", c.ConfigReloads), ("config_reload_failures", c.ConfigReloadFailures),
            ("authz_denied", c.AuthzDenied), ("mtls_plaintext_refused", c.MtlsPlaintextRefused), ("mtls_client_refused", c.MtlsClientRefused),
            ("mtls_server_refused", c.MtlsServerRefused), ("certificate_rotations", c.CertificateRotations), ("upstream_pool_renewals", c.UpstreamPoolRenewals),
            ("downstream_rx_bytes", c.DownstreamBytesIn), ("downstream_tx_bytes", c.DownstreamBytesOut),
            ("telemetry_records", exporter.Received), ("telemetry_dropped", exporter.Dropped),
            ("telemetry_exported_spans", exporter.ExportedSpans), ("telemetry_exported_logs", exporter.ExportedLogs),
            ("telemetry_export_failures", exporter.ExportFailures),
        })
        {
            s.Append(CultureInfo.InvariantCulture, $"# TYPE mesh_proxy_{name}_total counter\nmesh_proxy_{name}_total {counter.Value}\n");
        }

        s.Append("# TYPE mesh_proxy_ejections_total counter\n");
        foreach (var (cluster, reason, count) in c.Ejections)
        {
            s.Append(CultureInfo.InvariantCulture, $"mesh_proxy_ejections_total{{cluster=\"{Esc(cluster)}\",reason=\"{reason}\"}} {count}\n");
        }

        Gauge(s, "mesh_proxy_telemetry_queued", exporter.Queued);
        if (snapshot is not null)
        {
            var now = time.GetUtcNow().UtcTicks;
            s.Append("# TYPE mesh_proxy_endpoint_outstanding gauge\n");
            foreach (var cluster in snapshot.Clusters.Values)
            {
                foreach (var e in cluster.Endpoints)
                {
                    var labels = $"cluster=\"{Esc(cluster.Name)}\",endpoint=\"{e.Key}\"";
                    s.Append(CultureInfo.InvariantCulture, $"mesh_proxy_endpoint_outstanding{{{labels}}} {e.Outstanding}\n");
                    s.Append(CultureInfo.InvariantCulture, $"mesh_proxy_endpoint_ejected{{{labels}}} {(e.IsEjected(now) ? 1 : 0)}\n");
                    s.Append(CultureInfo.InvariantCulture, $"mesh_proxy_endpoint_healthy{{{labels}}} {(e.ActiveHealthy ? 1 : 0)}\n");
                    s.Append(CultureInfo.InvariantCulture, $"mesh_proxy_endpoint_weight{{{labels}}} {e.Weight}\n");
                    s.Append(CultureInfo.InvariantCulture, $"mesh_proxy_endpoint_latency_ewma_seconds{{{labels}}} {e.EwmaMs / 1000}\n");
                }

                s.Append(CultureInfo.InvariantCulture, $"mesh_proxy_cluster_in_flight{{cluster=\"{Esc(cluster.Name)}\"}} {cluster.Breaker.InFlight}\n");
                s.Append(CultureInfo.InvariantCulture, $"mesh_proxy_cluster_pending{{cluster=\"{Esc(cluster.Name)}\"}} {cluster.Breaker.Pending}\n");
            }
        }

        return s.ToString();
    }

    private static void Gauge(StringBuilder s, string name, long value) =>
        s.Append(CultureInfo.InvariantCulture, $"# TYPE {name} gauge\n{name} {value}\n");

    private static string Esc(string v) => v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
