using System.Globalization;
using Mesh.Bench.Processes;
using Microsoft.Data.Sqlite;

namespace Mesh.Bench.Baseline;

/// <summary>
/// The <c>sqlite3</c> shell importing exactly the span rows Mesh stored: the spans table is exported as CSV by the
/// shell itself, a fresh database gets Mesh's whole schema (same tables, same indexes, created before the import as
/// Mesh has them), and the shell imports the file with Mesh's connection settings (WAL, synchronous=FULL, same page
/// cache). <c>.import</c> wraps the whole file in one transaction by itself.
/// </summary>
/// <remarks>
/// CSV carries no blobs, so the 16-byte trace id travels as 32 hex characters and the baseline stores it as that
/// text: its rows and its unique index are slightly larger than Mesh's, which flatters Mesh a little, not the tool.
/// </remarks>
internal sealed class SqliteBaseline
{
    private readonly string _workDir;
    private readonly int _cacheSizeKiB;
    private readonly TextWriter _log;

    public SqliteBaseline(string workDir, int cacheSizeKiB, TextWriter log)
    {
        _workDir = workDir;
        _cacheSizeKiB = cacheSizeKiB;
        _log = log;
    }

    /// <summary>Runs the baseline on the spans of <paramref name="meshDb"/>, which nothing may be writing to.</summary>
    public async Task<BaselineResult> RunAsync(string meshDb, CancellationToken cancellationToken)
    {
        var (schema, columns, rows) = ReadMeshDatabase(meshDb);
        var csv = Path.Combine(_workDir, "spans.csv");
        var copy = Path.Combine(_workDir, "baseline.db");

        await _log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  exporting {rows:N0} spans as CSV")).ConfigureAwait(false);
        (await ExternalTool.RunAsync("sqlite3", ["-csv", meshDb, $"SELECT {string.Join(", ", columns)} FROM spans ORDER BY rowid"], stdinFile: null, csv, cancellationToken).ConfigureAwait(false))
            .EnsureSuccess("exporting spans");

        // journal_mode is stored in the file; the other settings are per connection and go with the import below.
        (await ExternalTool.RunAsync("sqlite3", [copy, "PRAGMA journal_mode=WAL", .. schema], cancellationToken).ConfigureAwait(false))
            .EnsureSuccess("creating the baseline schema");

        await _log.WriteLineAsync($"  sqlite3: .import --csv {Path.GetFileName(csv)} spans").ConfigureAwait(false);
        var import = (await ExternalTool.RunAsync(
            "sqlite3",
            [
                "-bail", copy,
                "PRAGMA synchronous=FULL",
                "PRAGMA temp_store=MEMORY",
                string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size=-{_cacheSizeKiB}"),
                "PRAGMA wal_autocheckpoint=4000",
                $".import --csv \"{csv}\" spans",
            ],
            cancellationToken).ConfigureAwait(false)).EnsureSuccess("importing spans");

        var imported = long.Parse((await ExternalTool.RunAsync("sqlite3", [copy, "SELECT count(*) FROM spans"], cancellationToken).ConfigureAwait(false)).Output.Trim(), CultureInfo.InvariantCulture);
        if (imported != rows)
        {
            throw new InvalidOperationException($"sqlite3 imported {imported:N0} spans, expected {rows:N0}");
        }

        var load = new TableLoad("spans", rows, new FileInfo(csv).Length, import.Wall.TotalSeconds);
        foreach (var file in Directory.EnumerateFiles(_workDir, "baseline.db*").Append(csv))
        {
            File.Delete(file);
        }

        return new BaselineResult("sqlite3 shell, .import --csv", [load], rows, import.Cpu, ServerCpu: null);
    }

    /// <summary>Mesh's schema statements in creation order, the spans columns to export (blobs as hex) and the span count.</summary>
    private static (string[] Schema, string[] Columns, long Rows) ReadMeshDatabase(string meshDb)
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

        var columns = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, type FROM pragma_table_info('spans') ORDER BY cid";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(0);
                columns.Add(string.Equals(reader.GetString(1), "BLOB", StringComparison.OrdinalIgnoreCase) ? $"hex({name})" : name);
            }
        }

        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM spans";
        return ([.. schema], [.. columns], (long)count.ExecuteScalar()!);
    }
}
