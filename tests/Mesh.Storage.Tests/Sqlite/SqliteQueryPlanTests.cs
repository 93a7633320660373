using Mesh.Storage.Sqlite;
using Xunit;

namespace Mesh.Storage.Tests.Sqlite;

/// <summary>
/// Every read by trace id goes through trace_runs' key and then spans' row ids: no statement scans a table,
/// however large the store grows.
/// </summary>
public sealed class SqliteQueryPlanTests
{
    public static TheoryData<string, string> ByTraceId => new()
    {
        { nameof(SqliteSpanSql.Trace), SqliteSpanSql.Trace },
        { nameof(SqliteSpanSql.StoredSpanIds), SqliteSpanSql.StoredSpanIds },
        { nameof(SqliteSpanSql.Summaries), SqliteSpanSql.Summaries(3) },
    };

    [Theory]
    [MemberData(nameof(ByTraceId))]
    public async Task ReadByTraceId_SearchesTraceRunsThenSpansByRowId(string name, string sql)
    {
        await using var test = await SqliteTestStore.CreateAsync();

        var plan = Plan(test, sql);

        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.StartsWith("SEARCH tr USING PRIMARY KEY (trace_key=?", StringComparison.Ordinal));
        Assert.True(
            plan.Contains("SEARCH s USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"),
            $"{name}: {string.Join(" | ", plan)}");
    }

    [Fact]
    public async Task TopOperations_SearchesTheServiceStartIndex()
    {
        await using var test = await SqliteTestStore.CreateAsync();

        var plan = Plan(test, SqliteTopOperations.Sql);

        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN", StringComparison.Ordinal));
        Assert.True(
            plan.Exists(step => step.StartsWith("SEARCH s USING INDEX spans_service_start (service=? AND start_ns>? AND start_ns<?)", StringComparison.Ordinal)),
            string.Join(" | ", plan));
    }

    private static List<string> Plan(SqliteTestStore test, string sql)
    {
        using var connection = test.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var parameter in new[] { "$k", "$t", "?1", "?2", "$service", "$start", "$end" }.Concat(Enumerable.Range(0, 3).SelectMany(i => new[] { $"$k{i}", $"$t{i}" })))
        {
            if (sql.Contains(parameter, StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(parameter, 0);
            }
        }

        var plan = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }
}
