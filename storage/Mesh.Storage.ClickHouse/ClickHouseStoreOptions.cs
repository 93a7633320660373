namespace Mesh.Storage.ClickHouse;

/// <summary>Settings of the ClickHouse span/log store.</summary>
public sealed record ClickHouseStoreOptions
{
    /// <summary>The HTTP interface, for example <c>http://127.0.0.1:8123/</c>.</summary>
    public Uri Endpoint { get; init; } = new("http://127.0.0.1:8123/");

    /// <summary>Database holding the tables; created when missing. Letters, digits and underscores.</summary>
    public string Database { get; init; } = "mesh";

    public string User { get; init; } = "default";

    public string Password { get; init; } = string.Empty;

    /// <summary>Longest a single request (a batch insert, a search) may take before the store counts the server as unavailable.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The cluster (a <c>remote_servers</c> entry of the servers' config) the tables are spread over, or null for a
    /// single server. In cluster mode every shard holds local MergeTree tables (<c>spans_local</c>, …) and a
    /// <c>Distributed</c> table under the plain name that reads and writes all shards.
    /// </summary>
    public string? Cluster { get; init; }

    /// <summary>
    /// The HTTP interface of one server of every shard of <see cref="Cluster"/>. The schema is created on each of them
    /// in turn (<c>ON CLUSTER</c> would need ZooKeeper); <see cref="Endpoint"/> may be any of them.
    /// </summary>
    public IReadOnlyList<Uri> ShardEndpoints { get; init; } = [];

    /// <summary>Gzip insert bodies: worth it over a real network, a waste of CPU on loopback.</summary>
    public bool CompressInserts { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (!Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"{nameof(Endpoint)} must be an absolute http(s) URI, not '{Endpoint}'.", nameof(Endpoint));
        }

        if (string.IsNullOrEmpty(Database) || !Database.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(Database[0]))
        {
            throw new ArgumentException($"{nameof(Database)} must be letters, digits and underscores, not starting with a digit; got '{Database}'.", nameof(Database));
        }

        if (string.IsNullOrEmpty(User))
        {
            throw new ArgumentException($"{nameof(User)} must not be empty.", nameof(User));
        }

        ArgumentNullException.ThrowIfNull(Password, nameof(Password));
        ValidateCluster();
        if (RequestTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(RequestTimeout)} and {nameof(ConnectTimeout)} must be positive.", nameof(RequestTimeout));
        }
    }

    private void ValidateCluster()
    {
        ArgumentNullException.ThrowIfNull(ShardEndpoints, nameof(ShardEndpoints));
        if (Cluster is null)
        {
            if (ShardEndpoints.Count != 0)
            {
                throw new ArgumentException($"{nameof(ShardEndpoints)} needs {nameof(Cluster)}: shard endpoints mean nothing without a cluster name.", nameof(ShardEndpoints));
            }

            return;
        }

        if (Cluster.Length == 0 || !Cluster.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new ArgumentException($"{nameof(Cluster)} must be letters, digits, '_', '-' and '.'; got '{Cluster}'.", nameof(Cluster));
        }

        if (ShardEndpoints.Count == 0)
        {
            throw new ArgumentException($"{nameof(ShardEndpoints)} must name the HTTP interface of one server per shard of cluster '{Cluster}'.", nameof(ShardEndpoints));
        }

        foreach (var shard in ShardEndpoints)
        {
            if (shard is null || !shard.IsAbsoluteUri || (shard.Scheme != Uri.UriSchemeHttp && shard.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"{nameof(ShardEndpoints)} must be absolute http(s) URIs, not '{shard}'.", nameof(ShardEndpoints));
            }
        }
    }
}
