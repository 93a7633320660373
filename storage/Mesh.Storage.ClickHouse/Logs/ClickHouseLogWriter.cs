using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Schema;

namespace Mesh.Storage.ClickHouse.Logs;

/// <summary>
/// Writes a batch of log records in one request. A replay first asks which of the batch's log ids are
/// stored already (only within the batch's services and seconds) and writes the rest.
/// </summary>
internal sealed class ClickHouseLogWriter : ILogWriter
{
    /// <summary>Log ids per existence query: up to 20 digits each, 5,000 stay well under max_query_size (256 KiB).</summary>
    private const int LogIdsPerLookup = 5000;

    private readonly ClickHouseHttpClient _client;
    private readonly SqlFragment _insert;
    private readonly SqlTemplate _existing;

    public ClickHouseLogWriter(ClickHouseHttpClient client, ClickHouseTables tables)
    {
        _client = client;
        _insert = tables.Load("insert_logs").Render();
        _existing = tables.Load("select_existing_logs");
    }

    public ValueTask WriteLogsAsync(IReadOnlyList<LogRecord> logs, WriteMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logs);
        if (logs.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        return mode == WriteMode.First
            ? new ValueTask(InsertAsync(logs, cancellationToken))
            : new ValueTask(ReplayAsync(logs, cancellationToken));
    }

    private Task InsertAsync(IReadOnlyList<LogRecord> logs, CancellationToken cancellationToken) =>
        _client.InsertAsync(_insert, logs, static () => new LogRowEncoder(), cancellationToken);

    private async Task ReplayAsync(IReadOnlyList<LogRecord> logs, CancellationToken cancellationToken)
    {
        var ids = new HashSet<ulong>(logs.Count);
        var unique = new List<LogRecord>(logs.Count);
        var services = new HashSet<string>(StringComparer.Ordinal);
        var firstSecond = uint.MaxValue;
        var lastSecond = uint.MinValue;
        foreach (var log in logs)
        {
            if (!ids.Add(log.LogId))
            {
                continue;
            }

            unique.Add(log);
            services.Add(log.ServiceName);
            var second = UnixTime.Seconds(log.EffectiveTimeUnixNano);
            firstSecond = Math.Min(firstSecond, second);
            lastSecond = Math.Max(lastSecond, second);
        }

        var existing = new HashSet<ulong>();
        foreach (var chunk in ids.Chunk(LogIdsPerLookup))
        {
            var query = _existing.Render(
                ("services", ClickHouseSql.QuoteList(services)),
                ("first_second", ClickHouseSql.DateTime(firstSecond)),
                ("last_second", ClickHouseSql.DateTime(lastSecond)),
                ("log_ids", ClickHouseSql.NumberList(chunk)));
            var body = await _client.QueryAsync(query, cancellationToken).ConfigureAwait(false);
            existing.UnionWith(JsonEachRow.Read(body, row => JsonEachRow.UInt64(row, "log_id")));
        }

        var missing = unique.Where(l => !existing.Contains(l.LogId)).ToList();
        if (missing.Count != 0)
        {
            await InsertAsync(missing, cancellationToken).ConfigureAwait(false);
        }
    }
}
