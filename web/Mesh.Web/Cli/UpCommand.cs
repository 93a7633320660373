using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Mesh.Web.Hosting;

namespace Mesh.Web.Cli;

/// <summary>
/// <c>mesh up</c>: runs the all-in-one Mesh. Every setting can come from a flag, a <c>MESH_…</c> environment
/// variable or a JSON config file (<c>--config</c>); that is also the order of precedence.
/// </summary>
internal static partial class UpCommand
{
    private static readonly Option<string> Config = new("--config") { Description = "JSON config file (keys: dataDir, port, otlpGrpcPort, …). Env: MESH_CONFIG" };
    private static readonly Option<string> DataDir = new("--data-dir") { Description = "Where Mesh keeps its data (default ./data). Env: MESH_DATA_DIR" };
    private static readonly Option<string> ListenAddress = new("--listen-address") { Description = "Address to bind every port to (default 127.0.0.1). Env: MESH_LISTEN_ADDRESS" };
    private static readonly Option<int?> Port = new("--port") { Description = "Web UI and API port (default 8080). Env: MESH_PORT" };
    private static readonly Option<int?> OtlpGrpcPort = new("--otlp-grpc-port") { Description = "OTLP/gRPC port (default 4317). Env: MESH_OTLP_GRPC_PORT" };
    private static readonly Option<int?> OtlpHttpPort = new("--otlp-http-port") { Description = "OTLP/HTTP port (default 4318). Env: MESH_OTLP_HTTP_PORT" };
    private static readonly Option<string> Store = new("--store") { Description = "sqlite (embedded, default) or clickhouse. Env: MESH_STORE" };
    private static readonly Option<string> ClickHouseUrl = new("--clickhouse-url") { Description = "ClickHouse HTTP interface URL (default http://127.0.0.1:8123). Env: MESH_CLICKHOUSE_URL" };
    private static readonly Option<string> ClickHouseDatabase = new("--clickhouse-database") { Description = "ClickHouse database (default mesh). Env: MESH_CLICKHOUSE_DATABASE" };
    private static readonly Option<string> IngestToken = new("--ingest-token") { Description = "Bearer token OTLP clients must send. Env: MESH_INGEST_TOKEN" };
    private static readonly Option<string> AdminToken = new("--admin-token") { Description = "Bearer token for the API. Env: MESH_ADMIN_TOKEN" };
    private static readonly Option<int?> MaxRequestBytes = new("--max-request-bytes") { Description = "Largest OTLP request after decompression (default 8 MiB). Env: MESH_MAX_REQUEST_BYTES" };
    private static readonly Option<string> Metadata = new("--metadata") { Description = "Metadata store: sqlite (in the data dir, default) or postgres. Env: MESH_METADATA" };
    private static readonly Option<string> MetadataConnection = new("--metadata-connection") { Description = "PostgreSQL connection string for --metadata postgres. Env: MESH_METADATA_CONNECTION" };
    private static readonly Option<string> TrustDomain = new("--trust-domain") { Description = "Trust domain of mesh identities (default mesh.local). Env: MESH_TRUST_DOMAIN" };
    private static readonly Option<string> CaCert = new("--ca-cert") { Description = "External CA root certificate (PEM) instead of the generated one. Env: MESH_CA_CERT" };
    private static readonly Option<string> CaKey = new("--ca-key") { Description = "Private key (PEM) of --ca-cert. Env: MESH_CA_KEY" };
    private static readonly Option<long?> SpoolMaxBytes = new("--spool-max-bytes") { Description = "Spool size at which ingest answers 429 (default 1 GiB). Env: MESH_SPOOL_MAX_BYTES" };
    private static readonly Option<int?> DrainBatchItems = new("--drain-batch-items") { Description = "Spans and logs per store write at most (default 10000 into SQLite, 150000 into ClickHouse). Env: MESH_DRAIN_BATCH_ITEMS" };
    private static readonly Option<int?> DrainWrites = new("--drain-writes") { Description = "Store writes in flight at once (default 1 into SQLite, 2 into ClickHouse). Env: MESH_DRAIN_WRITES" };

    public static Command Create()
    {
        var command = new Command("up", "Run the all-in-one Mesh: OTLP ingest, store and API (more components join as they are built).")
        {
            Config, DataDir, ListenAddress, Port, OtlpGrpcPort, OtlpHttpPort, Store, ClickHouseUrl, ClickHouseDatabase,
            IngestToken, AdminToken, MaxRequestBytes, SpoolMaxBytes, DrainBatchItems, DrainWrites, Metadata, MetadataConnection, TrustDomain, CaCert, CaKey,
        };
        Demo.DemoUpOptions.AddTo(command);
        foreach (var option in ScalingOptions)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            MeshSettings settings;
            try
            {
                settings = Resolve(parse, Environment.GetEnvironmentVariable);
            }
            catch (SettingsException ex)
            {
                await Console.Error.WriteLineAsync($"mesh up: {ex.Message}").ConfigureAwait(false);
                return 2;
            }

            return await MeshHost.RunAsync(settings, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    internal static MeshSettings Resolve(ParseResult parse, Func<string, string?> env)
    {
        var file = LoadFile(parse.GetValue(Config) ?? env("MESH_CONFIG"));
        var defaults = new MeshSettings();

        string? Text(Option<string> option, string envName, string key) =>
            parse.GetResult(option) is not null ? parse.GetValue(option) : env(envName) ?? FileText(file, key);

        T Number<T>(Option<T?> option, string envName, string key, T fallback)
            where T : struct, INumber<T>
        {
            if (parse.GetResult(option) is not null && parse.GetValue(option) is { } flag)
            {
                return flag;
            }

            var raw = env(envName) ?? FileText(file, key);
            if (raw is null)
            {
                return fallback;
            }

            return T.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new SettingsException($"{envName} / '{key}': '{raw}' is not a whole number");
        }

        var store = (Text(Store, "MESH_STORE", "store") ?? "sqlite").ToUpperInvariant() switch
        {
            "SQLITE" => StoreKind.Sqlite,
            "CLICKHOUSE" => StoreKind.ClickHouse,
            var other => throw new SettingsException($"--store / MESH_STORE: '{other.ToLowerInvariant()}' is not a store; use sqlite or clickhouse"),
        };

        var settings = new MeshSettings
        {
            DataDir = Text(DataDir, "MESH_DATA_DIR", "dataDir") ?? defaults.DataDir,
            ListenAddress = Text(ListenAddress, "MESH_LISTEN_ADDRESS", "listenAddress") ?? defaults.ListenAddress,
            Port = Number(Port, "MESH_PORT", "port", defaults.Port),
            OtlpGrpcPort = Number(OtlpGrpcPort, "MESH_OTLP_GRPC_PORT", "otlpGrpcPort", defaults.OtlpGrpcPort),
            OtlpHttpPort = Number(OtlpHttpPort, "MESH_OTLP_HTTP_PORT", "otlpHttpPort", defaults.OtlpHttpPort),
            Store = store,
            ClickHouseUrl = Text(ClickHouseUrl, "MESH_CLICKHOUSE_URL", "clickhouseUrl") ?? defaults.ClickHouseUrl,
            ClickHouseDatabase = Text(ClickHouseDatabase, "MESH_CLICKHOUSE_DATABASE", "clickhouseDatabase") ?? defaults.ClickHouseDatabase,
            ClickHouseUser = env("MESH_CLICKHOUSE_USER") ?? FileText(file, "clickhouseUser"),
            ClickHousePassword = env("MESH_CLICKHOUSE_PASSWORD") ?? FileText(file, "clickhousePassword"),
            IngestToken = Text(IngestToken, "MESH_INGEST_TOKEN", "ingestToken"),
            AdminToken = Text(AdminToken, "MESH_ADMIN_TOKEN", "adminToken"),
            MaxRequestBytes = Number(MaxRequestBytes, "MESH_MAX_REQUEST_BYTES", "maxRequestBytes", defaults.MaxRequestBytes),
            SpoolMaxBytes = Number(SpoolMaxBytes, "MESH_SPOOL_MAX_BYTES", "spoolMaxBytes", defaults.SpoolMaxBytes),
            DrainBatchItems = Number(DrainBatchItems, "MESH_DRAIN_BATCH_ITEMS", "drainBatchItems", MeshSettings.DrainDefaults(store).BatchItems),
            DrainWrites = Number(DrainWrites, "MESH_DRAIN_WRITES", "drainWrites", MeshSettings.DrainDefaults(store).Writes),
            Metadata = (Text(Metadata, "MESH_METADATA", "metadata") ?? defaults.Metadata).ToLowerInvariant(),
            MetadataConnection = Text(MetadataConnection, "MESH_METADATA_CONNECTION", "metadataConnection"),
            TrustDomain = Text(TrustDomain, "MESH_TRUST_DOMAIN", "trustDomain") ?? defaults.TrustDomain,
            CaCertFile = Text(CaCert, "MESH_CA_CERT", "caCert"),
            CaKeyFile = Text(CaKey, "MESH_CA_KEY", "caKey"),
            Demo = Demo.DemoUpOptions.Resolve(parse, env),
        };
        Validate(settings);
        return ResolveScaling(settings, parse, env, file);
    }

    private static void Validate(MeshSettings s)
    {
        foreach (var (name, port) in new[] { ("--port", s.Port), ("--otlp-grpc-port", s.OtlpGrpcPort), ("--otlp-http-port", s.OtlpHttpPort) })
        {
            if (port is < 1 or > 65535)
            {
                throw new SettingsException($"{name}: {port} is not a TCP port (1-65535)");
            }
        }

        if (new[] { s.Port, s.OtlpGrpcPort, s.OtlpHttpPort }.Distinct().Count() != 3)
        {
            throw new SettingsException($"--port, --otlp-grpc-port and --otlp-http-port must differ (got {s.Port}, {s.OtlpGrpcPort}, {s.OtlpHttpPort})");
        }

        if (!System.Net.IPAddress.TryParse(s.ListenAddress, out _))
        {
            throw new SettingsException($"--listen-address: '{s.ListenAddress}' is not an IP address");
        }

        if (s.Store == StoreKind.ClickHouse && !Uri.TryCreate(s.ClickHouseUrl, UriKind.Absolute, out _))
        {
            throw new SettingsException($"--clickhouse-url: '{s.ClickHouseUrl}' is not an absolute URL");
        }

        if (s.MaxRequestBytes < 1024)
        {
            throw new SettingsException($"--max-request-bytes: {s.MaxRequestBytes} is too small (at least 1024)");
        }

        if (s.SpoolMaxBytes < 1024 * 1024)
        {
            throw new SettingsException($"--spool-max-bytes: {s.SpoolMaxBytes} is too small (at least 1 MiB)");
        }

        if (s.DrainBatchItems is < 1 or > 10_000_000)
        {
            throw new SettingsException($"--drain-batch-items: {s.DrainBatchItems} is out of range (1-10000000)");
        }

        if (s.DrainWrites is < 1 or > 8)
        {
            throw new SettingsException($"--drain-writes: {s.DrainWrites} is out of range (1-8)");
        }

        if (s.Metadata is not ("sqlite" or "postgres"))
        {
            throw new SettingsException($"--metadata / MESH_METADATA: '{s.Metadata}' is not a metadata store; use sqlite or postgres");
        }

        if (s.Metadata == "postgres" && string.IsNullOrWhiteSpace(s.MetadataConnection))
        {
            throw new SettingsException("--metadata postgres needs --metadata-connection (or MESH_METADATA_CONNECTION), e.g. 'Host=127.0.0.1;Username=mesh;Database=mesh'");
        }

        if ((s.CaCertFile is null) != (s.CaKeyFile is null))
        {
            throw new SettingsException("--ca-cert and --ca-key go together: give both or neither");
        }

        if (s.IngestToken is { Length: < 8 } || s.AdminToken is { Length: < 8 })
        {
            throw new SettingsException("--ingest-token / --admin-token: a token must have at least 8 characters");
        }
    }

    private static readonly string[] FileKeys =
    [
        "dataDir", "listenAddress", "port", "otlpGrpcPort", "otlpHttpPort", "store", "clickhouseUrl", "clickhouseDatabase",
        "clickhouseUser", "clickhousePassword", "ingestToken", "adminToken", "maxRequestBytes", "spoolMaxBytes",
        "metadata", "metadataConnection", "trustDomain", "caCert", "caKey",
    ];

    private static Dictionary<string, JsonElement>? LoadFile(string? path)
    {
        if (path is null)
        {
            return null;
        }

        if (!File.Exists(path))
        {
            throw new SettingsException($"--config: file '{path}' does not exist");
        }

        Dictionary<string, JsonElement>? values;
        try
        {
            values = JsonSerializer.Deserialize(File.ReadAllText(path), MeshJsonContext.Default.DictionaryStringJsonElement);
        }
        catch (JsonException ex)
        {
            throw new SettingsException($"--config: '{path}' is not a JSON object: {ex.Message}");
        }

        foreach (var key in values?.Keys ?? Enumerable.Empty<string>())
        {
            if (!FileKeys.Contains(key, StringComparer.Ordinal) && !ScalingFileKeys.Contains(key, StringComparer.Ordinal))
            {
                throw new SettingsException($"--config: '{path}' has unknown key '{key}' (known: {string.Join(", ", FileKeys.Concat(ScalingFileKeys))})");
            }
        }

        return values;
    }

    private static string? FileText(Dictionary<string, JsonElement>? file, string key) =>
        file is not null && file.TryGetValue(key, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.Null => null,
                _ => throw new SettingsException($"--config: '{key}' must be a string or a number"),
            }
            : null;
}
