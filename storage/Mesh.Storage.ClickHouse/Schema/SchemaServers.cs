using Mesh.Storage.ClickHouse.Client;

namespace Mesh.Storage.ClickHouse.Schema;

/// <summary>
/// The servers a schema is created on: the store's own server, or in cluster mode one server per shard, each
/// checked first to know the cluster with as many shards as there are shard endpoints. DDL runs server by server
/// (<see cref="ShardDdl"/>); every statement is idempotent, so a start that fails half-way is finished by the next.
/// </summary>
internal sealed class SchemaServers : IDisposable
{
    private readonly ClickHouseTables _tables;
    private readonly List<ClickHouseHttpClient> _owned;

    private SchemaServers(ClickHouseTables tables, IReadOnlyList<ClickHouseHttpClient> servers, List<ClickHouseHttpClient> owned)
    {
        _tables = tables;
        Servers = servers;
        _owned = owned;
    }

    public IReadOnlyList<ClickHouseHttpClient> Servers { get; }

    public static async Task<SchemaServers> OpenAsync(ClickHouseHttpClient client, ClickHouseStoreOptions options, ClickHouseTables tables, CancellationToken cancellationToken)
    {
        if (options.Cluster is null)
        {
            return new SchemaServers(tables, [client], []);
        }

        var shards = options.ShardEndpoints.Select(endpoint => new ClickHouseHttpClient(options with { Endpoint = endpoint })).ToList();
        var servers = new SchemaServers(tables, shards, shards);
        try
        {
            foreach (var (server, endpoint) in shards.Prepend(client).Zip(options.ShardEndpoints.Prepend(options.Endpoint)))
            {
                await CheckClusterAsync(server, endpoint, options, tables, cancellationToken).ConfigureAwait(false);
            }

            return servers;
        }
        catch
        {
            servers.Dispose();
            throw;
        }
    }

    /// <summary>Runs the named DDL files, in order, on every server.</summary>
    public async Task CreateAsync(IEnumerable<string> names, (string Name, SqlFragment Value)[] values, CancellationToken cancellationToken)
    {
        var files = names.ToList();
        foreach (var server in Servers)
        {
            foreach (var name in files)
            {
                foreach (var statement in ShardDdl.Statements(_tables, name, values))
                {
                    await server.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    public void Dispose()
    {
        foreach (var client in _owned)
        {
            client.Dispose();
        }
    }

    private static async Task CheckClusterAsync(ClickHouseHttpClient server, Uri endpoint, ClickHouseStoreOptions options, ClickHouseTables tables, CancellationToken cancellationToken)
    {
        var sql = tables.Load("select_cluster_shards").Render(("cluster", ClickHouseSql.Quote(options.Cluster!)));
        var body = await server.QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        var shards = JsonEachRow.Read(body, row => JsonEachRow.UInt64(row, "shards")).FirstOrDefault();
        if (shards == 0)
        {
            throw new InvalidOperationException(
                $"ClickHouse at {endpoint} has no cluster '{options.Cluster}' in its remote_servers config (see deploy/clickhouse/).");
        }

        if (shards != (ulong)options.ShardEndpoints.Count)
        {
            throw new InvalidOperationException(
                $"Cluster '{options.Cluster}' has {shards} shards on ClickHouse at {endpoint}, but {options.ShardEndpoints.Count} shard endpoints are set; give one HTTP URL per shard.");
        }
    }
}
