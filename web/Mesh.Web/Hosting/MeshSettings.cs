namespace Mesh.Web.Hosting;

/// <summary>The resolved settings of <c>mesh up</c>: flags over environment (<c>MESH_…</c>) over config file over defaults.</summary>
internal sealed record MeshSettings
{
    public string DataDir { get; init; } = "./data";

    public string ListenAddress { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 8080;

    public int OtlpGrpcPort { get; init; } = 4317;

    public int OtlpHttpPort { get; init; } = 4318;

    public StoreKind Store { get; init; } = StoreKind.Sqlite;

    public string ClickHouseUrl { get; init; } = "http://127.0.0.1:8123";

    public string ClickHouseDatabase { get; init; } = "mesh";

    public string? ClickHouseUser { get; init; }

    public string? ClickHousePassword { get; init; }

    public string? IngestToken { get; init; }

    public string? AdminToken { get; init; }

    public int MaxRequestBytes { get; init; } = 8 * 1024 * 1024;

    public long SpoolMaxBytes { get; init; } = 1L << 30;

    /// <summary>Spans and logs per store write at most; null: the store's default (<see cref="DrainDefaults"/>).</summary>
    public int? DrainBatchItems { get; init; }

    /// <summary>Store writes in flight at once; null: the store's default (<see cref="DrainDefaults"/>).</summary>
    public int? DrainWrites { get; init; }

    /// <summary>
    /// The drain's defaults for a store. SQLite: batches of 10,000, one write at a time (a single writer; smaller
    /// batches keep GC pauses short). ClickHouse: batches of 150,000 (every insert is a part per table to merge
    /// later), two writes at once, so the drainer's encoding of one batch overlaps the server's work on the other.
    /// </summary>
    public static (int BatchItems, int Writes) DrainDefaults(StoreKind store) =>
        store == StoreKind.Sqlite ? (10_000, 1) : (150_000, 2);

    /// <summary>Metadata store (config, tokens, decisions, audit): <c>sqlite</c> in the data dir, or <c>postgres</c>.</summary>
    public string Metadata { get; init; } = "sqlite";

    /// <summary>Npgsql connection string when <see cref="Metadata"/> is postgres.</summary>
    public string? MetadataConnection { get; init; }

    /// <summary>Trust domain of mesh identities (<c>spiffe://&lt;trust-domain&gt;/ns/…/sa/…</c>).</summary>
    public string TrustDomain { get; init; } = "mesh.local";

    /// <summary>External CA root certificate and key (PEM); by default Mesh creates its own root in the data dir.</summary>
    public string? CaCertFile { get; init; }

    public string? CaKeyFile { get; init; }

    /// <summary><c>mesh up --demo</c>: the demo store beside the platform (off by default).</summary>
    public Demo.DemoSettings Demo { get; init; } = new();

    /// <summary>What this process runs (<c>--components</c>); everything by default.</summary>
    public MeshComponents Components { get; init; } = MeshComponents.All;

    /// <summary>ClickHouse cluster name for cluster mode (local tables on every shard plus Distributed tables); null on one server.</summary>
    public string? ClickHouseCluster { get; init; }

    /// <summary>The HTTP URL of one server per shard of <see cref="ClickHouseCluster"/> (the schema is created on each).</summary>
    public IReadOnlyList<string> ClickHouseShardUrls { get; init; } = [];

    /// <summary>The OTLP/HTTP URL the control plane gives proxies; null: this process's own OTLP/HTTP port.</summary>
    public string? OtlpAdvertiseUrl { get; init; }
}
