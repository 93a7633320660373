using Mesh.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Mesh.Storage.Sqlite;

/// <summary>
/// <see cref="ISpanReader.GetTopOperationsAsync"/> on SQLite: one pass over the service's server spans in the window
/// along spans_service_start, classified in SQL (proxy or not, failed or not, by the attributes' JSON), counted here.
/// SQLite has no percentile function, so each operation's durations are kept and the p99 taken by rank.
/// </summary>
internal static class SqliteTopOperations
{
    /// <summary>
    /// Parameters $service, $start, $end. Columns: name, duration, proxy (mesh.direction inbound or ingress), error
    /// (status ERROR, HTTP 5xx, gRPC non-OK: <c>SpanFacts.IsError</c>). A value that is not a number counts as none.
    /// </summary>
    public const string Sql =
        "SELECT s.name, s.duration_ns, " +
        "ifnull(json_extract(s.attributes, '$.\"mesh.direction\"') IN ('inbound', 'ingress'), 0), " +
        "s.status_code = 2 " +
        "OR ifnull(CAST(json_extract(s.attributes, '$.\"http.response.status_code\"') AS INTEGER), 0) >= 500 " +
        "OR ifnull(CAST(json_extract(s.attributes, '$.\"http.status_code\"') AS INTEGER), 0) >= 500 " +
        "OR ifnull(CAST(json_extract(s.attributes, '$.\"rpc.grpc.status_code\"') AS INTEGER), 0) <> 0 " +
        "FROM spans s WHERE s.service = $service AND s.start_ns >= $start AND s.start_ns < $end AND s.kind = 2";

    public static async Task<IReadOnlyList<OperationStats>> ReadAsync(SqliteConnection connection, OperationStatsQuery query, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.Parameters.AddWithValue("$service", query.Service);
        command.Parameters.AddWithValue("$start", query.StartUnixNano);
        command.Parameters.AddWithValue("$end", query.EndUnixNano);
        var operations = new Dictionary<(bool Proxy, string Name), Tally>();
        await using (var row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = (row.GetInt64(2) != 0, row.GetString(0));
                if (!operations.TryGetValue(key, out var tally))
                {
                    operations[key] = tally = new Tally();
                }

                tally.Durations.Add(row.GetInt64(1));
                tally.Errors += row.GetInt64(3) != 0 ? 1 : 0;
            }
        }

        return TopOperations.Pick(operations.Select(o => (o.Key.Proxy, o.Value.ToStats(o.Key.Name))), TopOperations.Limit(query));
    }

    private sealed class Tally
    {
        public List<long> Durations { get; } = [];

        public long Errors { get; set; }

        public OperationStats ToStats(string name)
        {
            Durations.Sort();
            return new OperationStats(name, Durations.Count, Errors, Durations[(int)TopOperations.P99Rank(Durations.Count) - 1]);
        }
    }
}
