using System.Globalization;
using System.Text;
using System.Text.Json;
using Mesh.Core.Rollups;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Schema;

namespace Mesh.Storage.ClickHouse.Rollups;

/// <summary>
/// Rollups in ClickHouse: one SummingMergeTree table, one INSERT per flush, reads summed with GROUP BY (merges
/// are eventual). Several ingest nodes insert into the same buckets; the sums merge. A contribution id is checked
/// before the insert and recorded after it; a crash between the two lets a retry add that one flush twice (there
/// are no transactions to close the gap on 18.16).
/// </summary>
public sealed class ClickHouseRollupStore : IRollupStore, IRollupWriter, IRollupReader
{
    private static readonly string[] KeyColumns =
        ["src_service", "src_version", "src_namespace", "src_kind", "dst_service", "dst_version", "dst_namespace", "dst_kind", "dst_endpoint", "route"];

    /// <summary>
    /// Longest window, in buckets per edge, whose stored rows are sent and summed here (an hour reads at most 39, a
    /// day ~60); a longer one is summed on the server, so a reply stays one row per edge however long the window.
    /// </summary>
    internal const long StreamedBucketsPerEdge = 64;

    private readonly ClickHouseHttpClient _client;
    private readonly ClickHouseTables _tables;
    private readonly ClickHouseStoreOptions _options;

    public ClickHouseRollupStore(ClickHouseStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = new ClickHouseHttpClient(options);
        _tables = new ClickHouseTables(options.Database, options.Cluster);
        _options = options;
    }

    public IRollupWriter Writer => this;

    public IRollupReader Reader => this;

    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        using var servers = await SchemaServers.OpenAsync(_client, _options, _tables, cancellationToken).ConfigureAwait(false);
        await servers.CreateAsync(["create_database", "create_rollups", "create_rollup_contributions"], [], cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask WriteAsync(IReadOnlyList<RollupRow> rows, string contributionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentException.ThrowIfNullOrEmpty(contributionId);
        var id = ClickHouseSql.Quote(contributionId);
        var seen = await _client.QueryAsync(_tables.Load("select_rollup_contribution").Render(("id", id)), cancellationToken).ConfigureAwait(false);
        if (JsonEachRow.Read(seen, row => JsonEachRow.UInt64(row, "n")).FirstOrDefault() > 0)
        {
            return;
        }

        if (rows.Count > 0)
        {
            await _client.InsertAsync(_tables.Load("insert_rollups").Render(), rows, static () => new RollupRowEncoder(), cancellationToken).ConfigureAwait(false);
        }

        // Sent as an insert (statement in the URL), so a Distributed table takes it synchronously like the rows: a
        // retry right after must see it, or it adds the flush again.
        using var empty = new ByteArrayContent([]);
        await _client.InsertAsync(_tables.Load("insert_rollup_contribution").Render(("id", id)), empty, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<RollupRow>> ReadAsync(RollupQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = _tables.Load("select_rollups").Render(
            ("bucket_expr", query.PerBucket ? SqlFragment.Trusted("toUInt32(bucket)") : ClickHouseSql.Number(query.StartUnixSeconds)),
            ("resolution", ClickHouseSql.Number(query.ResolutionSeconds)),
            ("start", ClickHouseSql.DateTime(query.StartUnixSeconds)),
            ("end", ClickHouseSql.DateTime(query.EndUnixSeconds)),
            ("filters", Filters(query.SourceService, query.DestinationService)));
        var body = await _client.QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        return JsonEachRow.Read(body, row => ReadRow(row, query.ResolutionSeconds));
    }

    public async ValueTask<IReadOnlyList<RollupRow>> ReadWindowAsync(RollupWindowQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var segments = new StringBuilder();
        foreach (var segment in query.Segments.Where(s => s.EndUnixSeconds > s.StartUnixSeconds))
        {
            segments.Append(segments.Length == 0 ? string.Empty : " OR ")
                .Append("(resolution = ").Append(ClickHouseSql.Number(segment.ResolutionSeconds).Text)
                .Append(" AND bucket >= ").Append(ClickHouseSql.DateTime(segment.StartUnixSeconds).Text)
                .Append(" AND bucket < ").Append(ClickHouseSql.DateTime(segment.EndUnixSeconds).Text).Append(')');
        }

        if (segments.Length == 0)
        {
            return [];
        }

        // Rows per edge the window reads (more where parts are not merged yet): few enough, and reading the rows beats
        // summing them on the server, whose sumMap is the bulk of its time.
        var streamed = query.Segments.Sum(s => s.Buckets) <= StreamedBucketsPerEdge;
        var sql = _tables.Load(streamed ? "select_rollup_window_rows" : "select_rollup_window").Render(
            ("segments", SqlFragment.Trusted(segments.ToString())),
            ("filters", Filters(query.SourceService, query.DestinationService)));
        var body = await _client.QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        return streamed ? RollupWindowRows.Read(body, query.StartUnixSeconds) : RollupWindowReply.Read(body, query.StartUnixSeconds);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static SqlFragment Filters(string? source, string? destination)
    {
        var filters = new StringBuilder();
        if (source is not null)
        {
            filters.Append(" AND src_service = ").Append(ClickHouseSql.Quote(source).Text);
        }

        if (destination is not null)
        {
            filters.Append(" AND dst_service = ").Append(ClickHouseSql.Quote(destination).Text);
        }

        return SqlFragment.Trusted(filters.ToString());
    }

    private static RollupRow ReadRow(JsonElement row, int resolution)
    {
        var histogram = row.GetProperty("histogram");
        var indexes = histogram[0];
        var counts = histogram[1];
        var buckets = new List<KeyValuePair<int, long>>(indexes.GetArrayLength());
        for (var i = 0; i < indexes.GetArrayLength(); i++)
        {
            buckets.Add(KeyValuePair.Create(Number<int>(indexes[i]), Number<long>(counts[i])));
        }

        return new RollupRow
        {
            ResolutionSeconds = resolution,
            BucketStartUnixSeconds = JsonEachRow.Int64(row, "b"),
            Key = new EdgeKey
            {
                SourceService = JsonEachRow.String(row, KeyColumns[0]),
                SourceVersion = JsonEachRow.String(row, KeyColumns[1]),
                SourceNamespace = JsonEachRow.String(row, KeyColumns[2]),
                SourceKind = (NodeKind)JsonEachRow.Int32(row, KeyColumns[3]),
                DestinationService = JsonEachRow.String(row, KeyColumns[4]),
                DestinationVersion = JsonEachRow.String(row, KeyColumns[5]),
                DestinationNamespace = JsonEachRow.String(row, KeyColumns[6]),
                DestinationKind = (NodeKind)JsonEachRow.Int32(row, KeyColumns[7]),
                DestinationEndpoint = JsonEachRow.String(row, KeyColumns[8]),
                Route = JsonEachRow.String(row, KeyColumns[9]),
            },
            Requests = JsonEachRow.Int64(row, "requests"),
            Errors = JsonEachRow.Int64(row, "errors"),
            BytesIn = JsonEachRow.Int64(row, "bytes_in"),
            BytesOut = JsonEachRow.Int64(row, "bytes_out"),
            MtlsRequests = JsonEachRow.Int64(row, "mtls"),
            Retries = JsonEachRow.Int64(row, "retries"),
            RateLimited = JsonEachRow.Int64(row, "rate_limited"),
            CircuitBroken = JsonEachRow.Int64(row, "circuit_broken"),
            LatencySumNanos = JsonEachRow.Int64(row, "latency_sum"),
            Histogram = HistogramCounts.From(buckets),
        };
    }

    private static T Number<T>(JsonElement value)
        where T : IParsable<T> =>
        T.Parse(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText(), CultureInfo.InvariantCulture);
}
