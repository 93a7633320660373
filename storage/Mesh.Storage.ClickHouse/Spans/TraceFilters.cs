using Mesh.Storage.ClickHouse.Rows;
using Mesh.Core.Storage;
using Mesh.Storage.ClickHouse.Client;

namespace Mesh.Storage.ClickHouse.Spans;

/// <summary>The optional criteria of a <see cref="TraceQuery"/> as <c>AND …</c> conditions on one spans row.</summary>
internal static class TraceFilters
{
    public static SqlFragment For(TraceQuery query)
    {
        var conditions = new List<SqlFragment>();
        if (query.Service is { } service)
        {
            conditions.Add(SqlFragment.Format($"service = {ClickHouseSql.Quote(service)}"));
        }

        if (query.Operation is { } operation)
        {
            conditions.Add(SqlFragment.Format($"name = {ClickHouseSql.Quote(operation)}"));
        }

        if (query.MinDurationNanos is { } min)
        {
            conditions.Add(SqlFragment.Format($"duration_nanos >= {ClickHouseSql.Number(min)}"));
        }

        if (query.MaxDurationNanos is { } max)
        {
            conditions.Add(SqlFragment.Format($"duration_nanos <= {ClickHouseSql.Number(max)}"));
        }

        if (query.Status == TraceStatusFilter.Error)
        {
            conditions.Add(SqlFragment.Trusted("status_code = 2"));
        }
        else if (query.Status == TraceStatusFilter.Ok)
        {
            conditions.Add(SqlFragment.Trusted("status_code != 2"));
        }

        foreach (var (key, value) in query.Attributes)
        {
            // A span or resource attribute, in AttributeText (one substring test) or, for spans written before
            // it, in the parallel arrays that held both.
            var needle = ClickHouseSql.Quote(AttributeText.Needle(key, value));
            conditions.Add(SqlFragment.Format(
                $"(position(attr_text, {needle}) > 0 OR position(resource_attr_text, {needle}) > 0 OR arrayExists((k, v) -> k = {ClickHouseSql.Quote(key)} AND v = {ClickHouseSql.Quote(value)}, search_keys, search_values))"));
        }

        return conditions.Count == 0
            ? SqlFragment.Empty
            : SqlFragment.Format($"\n  AND {SqlFragment.Join("\n  AND ", conditions)}");
    }
}
