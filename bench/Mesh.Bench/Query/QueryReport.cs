using System.Globalization;
using System.Text;

namespace Mesh.Bench.Query;

/// <summary>The markdown block of a query benchmark, ready for docs/benchmarks.md.</summary>
internal static class QueryReport
{
    public static string Markdown(QueryBenchmarkResult r)
    {
        var s = r.Settings;
        var f = r.Fill;
        var store = s.Store == "clickhouse" ? "ClickHouse" : "SQLite";
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));

        Line($"#### Queries on {store}: {f.Spans:N0} spans over {QuerySettings.Spread.TotalHours:F0} h, {SpanTemplate.ServiceNames.Count} services");
        Line($"");
        Line($"Filled straight through the store writer: {f.Spans:N0} spans in {f.Seconds:F1} s ({f.SpansPerSecond:N0} spans/s, {f.Writers} writers × {f.Batch:N0}-span batches); {r.StoreBytes / 1073741824.0:F2} GiB on disk.");
        Line($"One call at a time after {s.Warmup} warm-up calls of each; random arguments (seed {s.Seed}).");
        Line($"");
        Line($"| query | calls | median | p99 | results |");
        Line($"|---|---:|---:|---:|---|");
        var whole = r.GetTrace.Results.Count(n => n == StoreLoad.SpansPerTrace);
        Line($"| `GetTraceAsync`, a random stored trace id | {r.GetTrace.Milliseconds.Length} | {r.GetTrace.Median:F2} ms | {r.GetTrace.P99:F2} ms | {whole}/{r.GetTrace.Results.Length} whole traces ({StoreLoad.SpansPerTrace} spans) |");
        var full = r.FindTraces.Results.Count(n => n == QuerySettings.Limit);
        Line($"| `FindTracesAsync`, a random service, {QuerySettings.Window.TotalHours:F0} h window at a random offset, limit {QuerySettings.Limit} | {r.FindTraces.Milliseconds.Length} | {r.FindTraces.Median:F2} ms | {r.FindTraces.P99:F2} ms | {full}/{r.FindTraces.Results.Length} searches found {QuerySettings.Limit} traces |");
        return text.ToString();
    }
}
