using System.Globalization;
using Mesh.Bench.Processes;
using Microsoft.Data.Sqlite;

namespace Mesh.Bench.Baseline;

/// <summary>
/// The <c>sqlite3</c> shell importing exactly the rows Mesh's span writer stored: the spans and their trace lookup
/// (trace_runs). Each table is exported as CSV by the shell itself in the order Mesh inserted its rows, a fresh
/// database gets Mesh's whole schema (same tables, same indexes, created before the import as Mesh has them), and
/// the shell imports the files one after the other with Mesh's connection settings (WAL, synchronous=FULL, same
/// page cache). <c>.import</c> wraps each file in one transaction by itself.
/// </summary>
/// <remarks>
/// CSV carries no blobs, so the 16-byte trace id travels as 32 hex characters and the baseline stores it as that
/// text: its span rows are slightly larger than Mesh's, which flatters Mesh a little, not the tool.
/// </remarks>
internal sealed class SqliteBaseline
{
    /// <summary>The tables a span write inserts into, each with the order Mesh inserted its rows in.</summary>
    private static readonly (string Table, string InsertOrder)[] SpanTables = [("spans", "rowid"), ("trace_runs", "first_rowid")];

    private readonly string _workDir;
    private readonly int _cacheSizeKiB;
    private readonly TextWriter _log;

    public SqliteBaseline(string workDir, int cacheSizeKiB, TextWriter log)
    {
        _workDir = workDir;
        _cacheSizeKiB = cacheSizeKiB;
        _log = log;
    }

    /// <summary>Runs the baseline on the span tables of <paramref name="meshDb"/>, which nothing may be writing to.</summary>
    public async Task<BaselineResult> RunAsync(string meshDb, CancellationToken cancellationToken)
    {
        var (schema, tables) = ReadMeshDatabase(meshDb);
        var copy = Path.Combine(_workDir, "baseline.db");
        var files = new List<string>();
        foreach (var (table, columns, order, rows) in tables)
        {
            var csv = Path.Combine(_workDir, table + ".csv");
            files.Add(csv);
            await _log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  exporting {rows:N0} {table} rows as CSV")).ConfigureAwait(false);
            (await ExternalTool.RunAsync("sqlite3", ["-csv", meshDb, $"SELECT {string.Join(", ", columns)} FROM {table} ORDER BY {order}"], stdinFile: null, csv, cancellationToken).ConfigureAwait(false))
                .EnsureSuccess($"exporting {table}");
        }

        // journal_mode is stored in the file; the other settings are per connection and go with each import below.
        (await ExternalTool.RunAsync("sqlite3", [copy, "PRAGMA journal_mode=WAL", .. schema], cancellationToken).ConfigureAwait(false))
            .EnsureSuccess("creating the baseline schema");

        var loads = new List<TableLoad>();
        var cpu = TimeSpan.Zero;
        for (var i = 0; i < tables.Count; i++)
        {
            var (table, _, _, rows) = tables[i];
            var csv = files[i];
            await _log.WriteLineAsync($"  sqlite3: .import --csv {Path.GetFileName(csv)} {table}").ConfigureAwait(false);
            var import = (await ExternalTool.RunAsync(
                "sqlite3",
                [
                    "-bail", copy,
                    "PRAGMA synchronous=FULL",
                    "PRAGMA temp_store=MEMORY",
                    string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size=-{_cacheSizeKiB}"),
                    "PRAGMA wal_autocheckpoint=4000",
                    $".import --csv \"{csv}\" {table}",
                ],
                cancellationToken).ConfigureAwait(false)).EnsureSuccess($"importing {table}");

            var imported = long.Parse((await ExternalTool.RunAsync("sqlite3", [copy, $"SELECT count(*) FROM {table}"], cancellationToken).ConfigureAwait(false)).Output.Trim(), CultureInfo.InvariantCulture);
            if (imported != rows)
            {
                throw new InvalidOperationException($"sqlite3 imported {imported:N0} {table} rows, expected {rows:N0}");
            }

            loads.Add(new TableLoad(table, rows, new FileInfo(csv).Length, import.Wall.TotalSeconds));
            cpu += import.Cpu;
        }

        foreach (var file in Directory.EnumerateFiles(_workDir, "baseline.db*").Concat(files))
        {
            File.Delete(file);
        }

        return new BaselineResult("sqlite3 shell, .import --csv", loads, tables[0].Rows, cpu, ServerCpu: null);
    }

    /// <summary>
    /// Mesh's schema statements in creation order, and for each span table the columns to export (blobs as hex),
    /// the order Mesh inserted its rows in, and its row count.
    /// </summary>
    private static (string[] Schema, List<(string Table, string[] Columns, string Order, long Rows)> Tables) ReadMeshDatabase(string meshDb)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = meshDb, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var schema = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                schema.Add(reader.GetString(0));
            }
        }

        var tables = new List<(string, string[], string, long)>();
        foreach (var (table, order) in SpanTables)
        {
            var columns = new List<string>();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT name, type FROM pragma_table_info($table) ORDER BY cid";
                command.Parameters.AddWithValue("$table", table);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var name = reader.GetString(0);
                    columns.Add(string.Equals(reader.GetString(1), "BLOB", StringComparison.OrdinalIgnoreCase) ? $"hex({name})" : name);
                }
            }

            if (columns.Count == 0)
            {
                throw new InvalidOperationException($"{meshDb} has no {table} table: written by an older Mesh?");
            }

            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM {table}";
            tables.Add((table, [.. columns], order, (long)count.ExecuteScalar()!));
        }

        return ([.. schema], tables);
    }
}
