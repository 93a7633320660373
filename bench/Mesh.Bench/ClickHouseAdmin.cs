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

    public void Dispose() => _http.Dispose();
}
