using System.Globalization;
using System.Text;

namespace Mesh.Bench.Ingest;

/// <summary>The markdown block of an ingest benchmark, ready for docs/benchmarks.md.</summary>
internal static class IngestReport
{
    public static string Markdown(IngestBenchmarkResult r)
    {
        var s = r.Settings;
        var mesh = r.Mesh;
        var b = r.Baseline;
        var store = s.IsClickHouse ? "ClickHouse" : "SQLite";
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));

        Line($"#### Ingest into {store}: {s.Clients} clients × {s.SpansPerRequest} spans/request, {s.Seconds} s");
        Line($"");
        if (r.MeshConfiguration != "Release")
        {
            Line($"> **Not representative: mesh.dll is a {r.MeshConfiguration} build.** Build the bench with `-c Release`.");
            Line($"");
        }

        Line($"| | Mesh: OTLP/HTTP protobuf → spool (fsync) → {store} | {b.Tool} (ceiling) |");
        Line($"|---|---:|---:|");
        Line($"| spans | {mesh.AcknowledgedSpans:N0} acknowledged, all written | {b.SpanRows:N0}: every span Mesh stored (warm-up included) |");
        Line($"| time | {mesh.LoadSeconds:F1} s load + {mesh.EndToEndSeconds - mesh.LoadSeconds:F1} s drain = {mesh.EndToEndSeconds:F1} s | {b.Seconds:F1} s |");
        Line($"| **spans/s** | **{mesh.EndToEndRate:N0}** end-to-end (acknowledged and written) | **{b.SpansPerSecond:N0}**{RowsPerSecond(b)} |");
        Line($"| per second, median | {Report.Median(mesh.AcknowledgedPerSecond):N0} acknowledged, {Report.Median(mesh.WrittenPerSecond):N0} written | |");
        Line($"| 429 / failed requests | {mesh.Throttled:N0} / {mesh.Failed:N0} | |");
        Line($"| CPU, mesh | {Cpu(r.MeshCpu, mesh.EndToEndSeconds)} | |");
        if (s.IsClickHouse)
        {
            Line($"| CPU, clickhouse-server | {Cpu(r.ClickHouseCpu, mesh.EndToEndSeconds)} | {Cpu(b.ServerCpu, b.Seconds)} |");
        }

        Line($"| CPU, client | load generator {Cpu(r.LoadGeneratorCpu, mesh.EndToEndSeconds)} | {(s.IsClickHouse ? "clickhouse-client" : "sqlite3")} {Cpu(b.ToolCpu, b.Seconds)} |");
        Line($"");
        Line($"**Mesh / baseline: {r.Ratio:F2}** ({mesh.EndToEndRate:N0} / {b.SpansPerSecond:N0} spans/s).");
        Line($"");
        var tables = string.Join(", ", b.Tables.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Table} ({t.Rows:N0} rows, {t.FileBytes / 1048576.0:N0} MiB, {t.Seconds:F1} s)")));
        Line($"Baseline loaded {tables}. mesh.dll: {r.MeshConfiguration} build, {(r.ServerGc ? "server" : "workstation")} GC; {s.WarmupSeconds} s warm-up before the measured load.");
        return text.ToString();
    }

    /// <summary>When a span is a row in more than one table, the rows/s the tool loaded in all.</summary>
    private static string RowsPerSecond(Baseline.BaselineResult b) => b.Tables.Count > 1
        ? string.Create(CultureInfo.InvariantCulture, $" ({b.Tables.Sum(t => t.Rows) / b.Seconds:N0} rows/s in {b.Tables.Count} tables)")
        : string.Empty;

    /// <summary>CPU seconds and the cores that makes over the phase's wall time.</summary>
    private static string Cpu(TimeSpan? cpu, double wallSeconds) => cpu is { } c
        ? string.Create(CultureInfo.InvariantCulture, $"{c.TotalSeconds:F1} s ({c.TotalSeconds / wallSeconds:F2} cores)")
        : "n/a";
}
