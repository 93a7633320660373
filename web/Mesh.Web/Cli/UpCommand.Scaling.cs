using System.CommandLine;
using System.Text.Json;
using Mesh.Web.Hosting;

namespace Mesh.Web.Cli;

/// <summary>The settings of a scaled deployment: which components run here, and ClickHouse cluster mode.</summary>
internal static partial class UpCommand
{
    private static readonly Option<string> Components = new("--components") { Description = "What to run: all (default) or some of ingest,control-plane,analytics,web. Env: MESH_COMPONENTS" };
    private static readonly Option<string> ClickHouseCluster = new("--clickhouse-cluster") { Description = "ClickHouse cluster (remote_servers) for cluster mode: local tables per shard plus Distributed tables. Env: MESH_CLICKHOUSE_CLUSTER" };
    private static readonly Option<string> ClickHouseShardUrls = new("--clickhouse-shard-urls") { Description = "HTTP URL of one server per shard, comma-separated (the schema is created on each). Env: MESH_CLICKHOUSE_SHARD_URLS" };
    private static readonly Option<string> OtlpAdvertiseUrl = new("--otlp-advertise-url") { Description = "OTLP/HTTP URL the control plane gives proxies (default this process's OTLP/HTTP port). Env: MESH_OTLP_ADVERTISE_URL" };

    private static readonly string[] ScalingFileKeys = ["components", "clickhouseCluster", "clickhouseShardUrls", "otlpAdvertiseUrl"];

    private static IEnumerable<Option> ScalingOptions => [Components, ClickHouseCluster, ClickHouseShardUrls, OtlpAdvertiseUrl];

    private static MeshSettings ResolveScaling(MeshSettings settings, ParseResult parse, Func<string, string?> env, Dictionary<string, JsonElement>? file)
    {
        string? Text(Option<string> option, string envName, string key) =>
            parse.GetResult(option) is not null ? parse.GetValue(option) : env(envName) ?? FileText(file, key);

        var cluster = Text(ClickHouseCluster, "MESH_CLICKHOUSE_CLUSTER", "clickhouseCluster") is { Length: > 0 } name ? name : null;
        var shards = (Text(ClickHouseShardUrls, "MESH_CLICKHOUSE_SHARD_URLS", "clickhouseShardUrls") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var resolved = settings with
        {
            Components = MeshComponentNames.Parse(Text(Components, "MESH_COMPONENTS", "components") ?? "all"),
            ClickHouseCluster = cluster,
            ClickHouseShardUrls = shards,
            OtlpAdvertiseUrl = Text(OtlpAdvertiseUrl, "MESH_OTLP_ADVERTISE_URL", "otlpAdvertiseUrl"),
        };
        ValidateScaling(resolved);
        return resolved;
    }

    private static void ValidateScaling(MeshSettings s)
    {
        if (s.ClickHouseCluster is { } cluster)
        {
            if (s.Store != StoreKind.ClickHouse)
            {
                throw new SettingsException("--clickhouse-cluster needs --store clickhouse");
            }

            if (!cluster.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                throw new SettingsException($"--clickhouse-cluster: '{cluster}' is not a cluster name (letters, digits, '_', '-', '.')");
            }

            if (s.ClickHouseShardUrls.Count == 0)
            {
                throw new SettingsException("--clickhouse-cluster needs --clickhouse-shard-urls (or MESH_CLICKHOUSE_SHARD_URLS): the HTTP URL of one server per shard, comma-separated");
            }
        }
        else if (s.ClickHouseShardUrls.Count != 0)
        {
            throw new SettingsException("--clickhouse-shard-urls needs --clickhouse-cluster: name the cluster the shards form");
        }

        foreach (var url in s.ClickHouseShardUrls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new SettingsException($"--clickhouse-shard-urls: '{url}' is not an absolute http(s) URL");
            }
        }

        if (s.OtlpAdvertiseUrl is { } advertise && (!Uri.TryCreate(advertise, UriKind.Absolute, out var advertised) || advertised.Scheme is not ("http" or "https")))
        {
            throw new SettingsException($"--otlp-advertise-url: '{advertise}' is not an absolute http(s) URL");
        }
    }
}
