using System.Globalization;
using System.Text.RegularExpressions;
using Mesh.Bench.Processes;

namespace Mesh.Bench.Baseline;

/// <summary>
/// ClickHouse's own bulk insert of exactly the rows Mesh stored: every table Mesh's write path inserts into is
/// exported as TabSeparated, copied empty (<c>CREATE TABLE … AS …</c>, materialized views recreated, so an insert
/// into the copy does the same work as one into the original), then loaded with
/// <c>clickhouse-client … INSERT … FORMAT TabSeparated &lt; file</c>, one table after the other.
/// </summary>
internal sealed partial class ClickHouseBaseline
{
    private readonly ClickHouseAdmin _admin;
    private readonly int _tcpPort;
    private readonly int _serverPid;
    private readonly string _workDir;
    private readonly TextWriter _log;

    public ClickHouseBaseline(ClickHouseAdmin admin, int tcpPort, int serverPid, string workDir, TextWriter log)
    {
        _admin = admin;
        _tcpPort = tcpPort;
        _serverPid = serverPid;
        _workDir = workDir;
        _log = log;
    }

    public async Task<BaselineResult> RunAsync(string database, CancellationToken cancellationToken)
    {
        var copy = database + "_baseline";
        var loaded = await CopySchemaAsync(database, copy, cancellationToken).ConfigureAwait(false);

        // Mesh's parts were still merging when its run ended; let that finish so it does not slow the baseline.
        await _admin.WaitForMergesAsync(TimeSpan.FromMinutes(10), _log, cancellationToken).ConfigureAwait(false);

        var files = new List<(string Table, string File, long Rows)>();
        foreach (var table in loaded)
        {
            var file = Path.Combine(_workDir, table + ".tsv");
            await _log.WriteLineAsync($"  exporting {database}.{table}").ConfigureAwait(false);
            (await Client($"SELECT * FROM {database}.{table} FORMAT TabSeparated", stdin: null, stdout: file, cancellationToken).ConfigureAwait(false))
                .EnsureSuccess($"exporting {database}.{table}");
            var rows = await _admin.ScalarAsync($"SELECT count() FROM {database}.{table}", cancellationToken).ConfigureAwait(false);
            files.Add((table, file, rows));
        }

        var loads = new List<TableLoad>();
        var toolCpu = TimeSpan.Zero;
        var eventsBefore = await _admin.EventsAsync(ClickHouseAdmin.MergeEvents, cancellationToken).ConfigureAwait(false);
        var serverBefore = ProcessCpu.Read(_serverPid);
        foreach (var (table, file, rows) in files)
        {
            await _log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  clickhouse-client: INSERT INTO {copy}.{table} FORMAT TabSeparated < {Path.GetFileName(file)} ({rows:N0} rows)")).ConfigureAwait(false);
            var run = (await Client($"INSERT INTO {copy}.{table} FORMAT TabSeparated", stdin: file, stdout: null, cancellationToken).ConfigureAwait(false))
                .EnsureSuccess($"loading {copy}.{table}");
            toolCpu += run.Cpu;
            loads.Add(new TableLoad(table, rows, new FileInfo(file).Length, run.Wall.TotalSeconds));
        }

        var serverCpu = ProcessCpu.Read(_serverPid) - serverBefore;
        var eventsAfter = await _admin.EventsAsync(ClickHouseAdmin.MergeEvents, cancellationToken).ConfigureAwait(false);
        await _log.WriteLineAsync($"  clickhouse-server during the baseline's load: {ClickHouseAdmin.MergeWork(eventsBefore, eventsAfter)}").ConfigureAwait(false);
        foreach (var load in loads)
        {
            var count = await _admin.ScalarAsync($"SELECT count() FROM {copy}.{load.Table}", cancellationToken).ConfigureAwait(false);
            if (count != load.Rows)
            {
                throw new InvalidOperationException($"the baseline loaded {count:N0} rows into {copy}.{load.Table}, expected {load.Rows:N0}");
            }
        }

        foreach (var (_, file, _) in files)
        {
            File.Delete(file);
        }

        await _admin.QueryAsync($"DROP DATABASE {copy}", cancellationToken).ConfigureAwait(false);
        var spanRows = loads.FirstOrDefault(l => l.Table == "spans")?.Rows ?? throw new InvalidOperationException($"{database} has no spans table");
        return new BaselineResult("clickhouse-client, FORMAT TabSeparated", loads, spanRows, toolCpu, serverCpu);
    }

    /// <summary>
    /// Creates <paramref name="copy"/> with every table of <paramref name="database"/>, empty, and its materialized
    /// views. Returns the tables to load: those holding rows that no materialized view fills (those Mesh inserts into).
    /// </summary>
    private async Task<IReadOnlyList<string>> CopySchemaAsync(string database, string copy, CancellationToken cancellationToken)
    {
        var tables = await _admin.TablesAsync(database, cancellationToken).ConfigureAwait(false);
        await _admin.QueryAsync($"CREATE DATABASE {copy}", cancellationToken).ConfigureAwait(false);
        var viewTargets = new HashSet<string>(StringComparer.Ordinal);
        var views = new List<string>();
        foreach (var (name, engine) in tables)
        {
            if (engine == "MaterializedView")
            {
                var create = (await _admin.QueryAsync($"SHOW CREATE TABLE {database}.{name} FORMAT TSVRaw", cancellationToken).ConfigureAwait(false)).Trim();
                var target = ViewTarget().Match(create);
                if (target.Success)
                {
                    viewTargets.Add(target.Groups["table"].Value);
                }

                views.Add(Regex.Replace(create, $@"(?<![\w`]){Regex.Escape(database)}\.", copy + "."));
            }
            else if (engine != "View")
            {
                await _admin.QueryAsync($"CREATE TABLE {copy}.{name} AS {database}.{name}", cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var view in views)
        {
            await _admin.QueryAsync(view, cancellationToken).ConfigureAwait(false);
        }

        var loaded = new List<string>();
        foreach (var (name, engine) in tables)
        {
            if (engine is not ("MaterializedView" or "View") && !viewTargets.Contains(name)
                && await _admin.ScalarAsync($"SELECT count() FROM {database}.{name}", cancellationToken).ConfigureAwait(false) > 0)
            {
                loaded.Add(name);
            }
        }

        await _log.WriteLineAsync($"  baseline tables: {string.Join(", ", loaded)} (filled by materialized views: {string.Join(", ", viewTargets)})").ConfigureAwait(false);
        return loaded;
    }

    private Task<ToolRun> Client(string query, string? stdin, string? stdout, CancellationToken cancellationToken) =>
        ExternalTool.RunAsync(
            "clickhouse-client",
            ["--host", "127.0.0.1", "--port", _tcpPort.ToString(CultureInfo.InvariantCulture), "--query", query],
            stdin,
            stdout,
            cancellationToken);

    [GeneratedRegex(@"\bTO\s+`?\w+`?\.`?(?<table>\w+)`?")]
    private static partial Regex ViewTarget();
}
