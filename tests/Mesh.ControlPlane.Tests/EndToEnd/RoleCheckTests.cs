using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Mesh.ControlPlane.Client;
using Mesh.ControlPlane.Access;
using Mesh.Testing;
using Xunit;

namespace Mesh.ControlPlane.Tests.EndToEnd;

/// <summary>Every API group against a real <c>mesh up</c>, with a token of every role.</summary>
public sealed class RoleCheckTests(MeshUp up) : IClassFixture<MeshUp>
{
    private readonly MeshProcess _mesh = up.Mesh;

    public static TheoryData<string, string, string, string?> Calls => new()
    {
        // method, path, body, the role it needs
        { "GET", "/api/v1/services", "", "viewer" },
        { "GET", "/api/v1/config/resources/services", "", "viewer" },
        { "GET", "/api/v1/config/revisions", "", "viewer" },
        { "GET", "/api/v1/config/decisions", "", "viewer" },
        { "GET", "/api/v1/config/proxies", "", "viewer" },
        { "POST", "/api/v1/config/apply?dryRun=true", "kind: Service\nmetadata: {name: cart, namespace: shop}", "operator" },
        { "POST", "/api/v1/config/rollback", "{\"revision\": 99}", "operator" },
        { "POST", "/api/v1/config/endpoints", "{}", "proxy" },
        { "POST", "/api/v1/config/proxies/p1/ack", "{\"version\": 1}", "proxy" },
        { "POST", "/api/v1/ca/certificates", "{}", "proxy" },
        { "GET", "/api/v1/tokens", "", "admin" },
        { "GET", "/api/v1/audit", "", "admin" },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Call_WithEachRole_AllowedOnlyWithNeededRole(string method, string path, string body, string? needed)
    {
        using var admin = new MeshControlPlaneClient(_mesh.ApiUrl, MeshProcess.AdminToken);
        foreach (var role in new[] { "viewer", "operator", "proxy", "admin" })
        {
            var token = (await admin.CreateTokenAsync($"{role}-token", role, role == "proxy" ? "shop/*" : null)).Token;
            using var http = new HttpClient { BaseAddress = _mesh.ApiUrl };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
            var text = await response.Content.ReadAsStringAsync();

            var allowed = role == "admin" || role == needed || (role == "operator" && needed == "viewer");
            if (allowed)
            {
                Assert.True(response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized), $"{role} {method} {path}: {(int)response.StatusCode} {text}");
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role} {method} {path}: expected 403, got {(int)response.StatusCode} {text}");
                Assert.Contains($"needs role '{needed}'", text, StringComparison.Ordinal);
                Assert.Contains($"has role '{role}'", text, StringComparison.Ordinal);
            }
        }

        using var anonymous = new HttpClient { BaseAddress = _mesh.ApiUrl };
        using var none = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
    }

    [Fact]
    public async Task Tokens_StoredHashed_RevokedTokenRefused()
    {
        using var admin = new MeshControlPlaneClient(_mesh.ApiUrl, MeshProcess.AdminToken);
        var created = await admin.CreateTokenAsync("ci", "viewer");
        using var viewer = new MeshControlPlaneClient(_mesh.ApiUrl, created.Token);
        Assert.NotNull(await viewer.RevisionsAsync());

        var stored = new List<string>();
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_mesh.DataDir, "metadata.db")};Mode=ReadOnly;Pooling=False"))
        {
            await db.OpenAsync();
            await using var select = db.CreateCommand();
            select.CommandText = "SELECT id || ' ' || name || ' ' || role || ' ' || hash FROM api_tokens";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetString(0));
            }
        }

        Assert.DoesNotContain(stored, row => row.Contains(created.Token, StringComparison.Ordinal));
        Assert.Contains($"{created.Id} ci viewer {TokenService.Hash(created.Token)}", stored);

        using var http = _mesh.CreateApiClient();
        (await http.DeleteAsync($"/api/v1/tokens/{created.Id}")).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(
            async () => (await Assert.ThrowsAnyAsync<Exception>(() => viewer.RevisionsAsync())) is MeshApiException { Status: HttpStatusCode.Unauthorized },
            "the revoked token is refused");
    }
}
