using Mesh.ControlPlane.Client;
using Mesh.ControlPlane.Tests.Metadata;
using Mesh.Testing;
using Xunit;

namespace Mesh.ControlPlane.Tests.EndToEnd;

/// <summary><c>mesh up --metadata postgres</c> on the private PostgreSQL: config survives a restart, read back from the database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMetadataTests(PostgresServer server)
{
    [Fact]
    public async Task MeshUp_OnPostgres_AppliesAndKeepsConfigAcrossRestart()
    {
        var connection = await server.CreateDatabaseAsync();
        await using var mesh = await MeshProcess.StartAsync(extraArgs: ["--metadata", "postgres", "--metadata-connection", connection]);
        using var admin = new MeshControlPlaneClient(mesh.ApiUrl, MeshProcess.AdminToken);

        await admin.ApplyAsync(Yaml.Shop + "\n---\n" + Yaml.Route(90, 10));
        await mesh.StopAsync();
        await mesh.StartAsync(TimeSpan.FromSeconds(60));

        var routes = await admin.ListAsync("routes");
        Assert.Equal("cart", Assert.Single(routes).Name);
        Assert.Equal(1, Assert.Single(await admin.RevisionsAsync()).Number);
        Assert.Contains("postgres", mesh.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(mesh.DataDir, "metadata.db")));
    }
}
