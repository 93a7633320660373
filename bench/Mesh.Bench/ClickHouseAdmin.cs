using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Mesh.Bench;

/// <summary>Small control queries over ClickHouse's HTTP interface: counts, table lists, waiting for merges.</summary>
internal sealed class ClickHouseAdmin : IDisposable
{
    private readonly HttpClient _http;

    public ClickHouseAdmin(Uri httpUrl) => _http = new HttpClient { BaseAddress = httpUrl, Timeout = TimeSpan.FromMinutes(10) };

    /// <summary>Runs <paramref name="sql"/> and returns its TabSeparated output.</summary>
    public async Task<string> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        using var body = new StringContent(sql, Encoding.UTF8);
        using var response = await _http.PostAsync(new Uri("/", UriKind.Relative), body, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"ClickHouse refused '{sql}': {text}");
    }

    public async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken) =>
        long.Parse((await QueryAsync(sql, cancellationToken).ConfigureAwait(false)).Trim(), CultureInfo.InvariantCulture);

    /// <summary>(name, engine) of every table and view in <paramref name="database"/>, by name.</summary>
    public async Task<IReadOnlyList<(string Name, string Engine)>> TablesAsync(string database, CancellationToken cancellationToken)
    {
        var text = await QueryAsync($"SELECT name, engine FROM system.tables WHERE database = '{database}' ORDER BY name FORMAT TabSeparated", cancellationToken).ConfigureAwait(false);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).Select(f => (f[0], f[1]))];
    }

    /// <summary>Bytes of the active parts of <paramref name="database"/>, compressed, as on disk.</summary>
    public Task<long> BytesOnDiskAsync(string database, CancellationToken cancellationToken) =>
        ScalarAsync($"SELECT sum(bytes) FROM system.parts WHERE active AND database = '{database}'", cancellationToken);

    /// <summary>
    /// Waits until the server runs no merges (or <paramref name="limit"/> passes), so a measurement that follows
    /// does not share the CPU with the tail of the previous one. Returns how long it waited.
    /// </summary>
    public async Task<TimeSpan> WaitForMergesAsync(TimeSpan limit, TextWriter log, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        long merges;
        while ((merges = await ScalarAsync("SELECT count() FROM system.merges", cancellationToken).ConfigureAwait(false)) > 0 && waited.Elapsed < limit)
        {
            await log.WriteLineAsync($"  waiting for {merges} background merge(s) to finish ({waited.Elapsed.TotalSeconds:F0} s)").ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        }

        return waited.Elapsed;
    }

    /// <summary>The server's cumulative counters (<c>system.events</c>) whose names are in <paramref name="names"/>.</summary>
    public async Task<IReadOnlyDictionary<string, long>> EventsAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var text = await QueryAsync("SELECT event, value FROM system.events FORMAT TabSeparated", cancellationToken).ConfigureAwait(false);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(f => names.Contains(f[0]))
            .ToDictionary(f => f[0], f => long.Parse(f[1], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// What the server did between two <see cref="EventsAsync"/> snapshots, as one log line: rows inserted, rows
    /// rewritten by background merges (per inserted row) and merge time: merges are CPU an insert causes later.
    /// </summary>
    public static string MergeWork(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after)
    {
        long Delta(string name) => after.GetValueOrDefault(name) - before.GetValueOrDefault(name);
        var inserted = Delta("InsertedRows");
        var merged = Delta("MergedRows");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"inserted {inserted:N0} rows in {Delta("InsertQuery"):N0} INSERTs; merges rewrote {merged:N0} rows ({(inserted > 0 ? (double)merged / inserted : 0):F2} per inserted row, {Delta("MergedUncompressedBytes") / (1024.0 * 1024):N0} MiB uncompressed) in {Delta("MergesTimeMilliseconds") / 1000.0:N1} s of merge threads");
    }

    /// <summary>The counters <see cref="MergeWork"/> reads.</summary>
    public static readonly string[] MergeEvents = ["InsertedRows", "InsertQuery", "MergedRows", "MergedUncompressedBytes", "MergesTimeMilliseconds"];

    public void Dispose() => _http.Dispose();
}
