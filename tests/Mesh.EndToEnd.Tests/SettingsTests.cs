using Mesh.Web.Cli;
using Mesh.Web.Hosting;
using Xunit;

namespace Mesh.EndToEnd.Tests;

/// <summary><c>mesh up</c> settings: flags over MESH_ environment over the config file over defaults, and clear errors.</summary>
public sealed class SettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-settings-").FullName;

    private static MeshSettings Resolve(string[] args, Dictionary<string, string>? env = null) =>
        UpCommand.Resolve(UpCommand.Create().Parse(args), name => env is not null && env.TryGetValue(name, out var v) ? v : null);

    [Fact]
    public void Resolve_NothingGiven_UsesDefaults()
    {
        var s = Resolve([]);

        Assert.Equal("./data", s.DataDir);
        Assert.Equal(8080, s.Port);
        Assert.Equal(4317, s.OtlpGrpcPort);
        Assert.Equal(4318, s.OtlpHttpPort);
        Assert.Equal(StoreKind.Sqlite, s.Store);
        Assert.Null(s.IngestToken);
    }

    [Fact]
    public void Resolve_FlagBeatsEnvironmentBeatsFile()
    {
        var file = Path.Combine(_dir, "mesh.json");
        File.WriteAllText(file, """{"port": 7000, "otlpGrpcPort": 7001, "store": "clickhouse", "clickhouseUrl": "http://ch:8123", "dataDir": "/from-file"}""");
        var env = new Dictionary<string, string> { ["MESH_CONFIG"] = file, ["MESH_PORT"] = "7100", ["MESH_DATA_DIR"] = "/from-env" };

        var s = Resolve(["--data-dir", "/from-flag"], env);

        Assert.Equal("/from-flag", s.DataDir);
        Assert.Equal(7100, s.Port);
        Assert.Equal(7001, s.OtlpGrpcPort);
        Assert.Equal(StoreKind.ClickHouse, s.Store);
        Assert.Equal("http://ch:8123", s.ClickHouseUrl);
    }

    [Theory]
    [InlineData(new[] { "--store", "mysql" }, "'mysql' is not a store")]
    [InlineData(new[] { "--port", "70000" }, "--port: 70000 is not a TCP port")]
    [InlineData(new[] { "--port", "4317" }, "must differ")]
    [InlineData(new[] { "--listen-address", "localhost:80" }, "is not an IP address")]
    [InlineData(new[] { "--ingest-token", "short" }, "at least 8 characters")]
    [InlineData(new[] { "--config", "/no/such/file.json" }, "does not exist")]
    public void Resolve_BadValue_NamesTheSetting(string[] args, string expected)
    {
        var ex = Assert.Throws<SettingsException>(() => Resolve(args));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_EnvironmentNotANumber_NamesTheVariable()
    {
        var ex = Assert.Throws<SettingsException>(() => Resolve([], new Dictionary<string, string> { ["MESH_OTLP_HTTP_PORT"] = "four" }));
        Assert.Contains("MESH_OTLP_HTTP_PORT", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ConfigWithUnknownKey_NamesTheKey()
    {
        var file = Path.Combine(_dir, "bad.json");
        File.WriteAllText(file, """{"prot": 1}""");
        var ex = Assert.Throws<SettingsException>(() => Resolve(["--config", file]));
        Assert.Contains("unknown key 'prot'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokens_GeneratedOnFirstRun_ReadBackAfterwards_GivenOnesWin()
    {
        var first = MeshTokens.Resolve(new MeshSettings(), _dir);
        var second = MeshTokens.Resolve(new MeshSettings(), _dir);
        var given = MeshTokens.Resolve(new MeshSettings { AdminToken = "given-admin-token" }, _dir);

        Assert.True(first.Generated);
        Assert.False(second.Generated);
        Assert.Equal(first.IngestToken, second.IngestToken);
        Assert.Equal(first.AdminToken, second.AdminToken);
        Assert.NotEqual(first.IngestToken, first.AdminToken);
        Assert.Equal("given-admin-token", given.AdminToken);
        Assert.Equal(first.IngestToken, given.IngestToken);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, MeshTokens.FileName)));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
