using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Rows;
using Mesh.Storage.ClickHouse.Schema;

namespace Mesh.Storage.ClickHouse.Logs;

/// <summary>
/// Writes a batch of log records in one request. A replay first asks which of the batch's log ids are
/// stored already (only within the batch's services and seconds) and writes the rest.
/// </summary>
internal sealed class ClickHouseLogWriter : ILogWriter
{
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
        _client.InsertAsync(
            _insert,
            TableOrder.ByServiceAndSecond(logs, static l => l.Resource, static l => l.EffectiveTimeUnixNano),
            static () => new LogRowEncoder(),
            cancellationToken);

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

        var query = _existing.Render(
            ("first_second", ClickHouseSql.DateTime(firstSecond)),
            ("last_second", ClickHouseSql.DateTime(lastSecond)));
        var body = await _client.QueryAsync(query, [BatchTables.Services(services), BatchTables.LogIds(ids)], cancellationToken).ConfigureAwait(false);
        var existing = JsonEachRow.Read(body, row => JsonEachRow.UInt64(row, "log_id")).ToHashSet();

        var missing = unique.Where(l => !existing.Contains(l.LogId)).ToList();
        if (missing.Count != 0)
        {
            await InsertAsync(missing, cancellationToken).ConfigureAwait(false);
        }
    }
}
