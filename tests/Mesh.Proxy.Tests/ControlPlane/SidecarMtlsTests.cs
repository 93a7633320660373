using System.Diagnostics;
using Mesh.ControlPlane.Client;
using Mesh.ControlPlane.Client.Contracts;
using Xunit.Abstractions;

namespace Mesh.Proxy.Tests.ControlPlane;

/// <summary>Mesh mTLS between real sidecars: rotation under load drops nothing; impostors on either side are refused.</summary>
public sealed class SidecarMtlsTests(ITestOutputHelper output)
{
    private const string CartId = "spiffe://mesh.local/ns/shop/sa/cart";

    [Fact]
    public async Task Rotation_ShortLivedCertificates_UnderLoad_NoRequestFails()
    {
        await using var mesh = await MeshHarness.StartAsync(Resources.Shop());
        var ttl = TimeSpan.FromSeconds(6);
        var cart = await mesh.ServiceAsync("cart", "v1", certTtl: ttl);
        var web = await mesh.ServiceAsync("web", "v1", outbound: true, certTtl: ttl);
        using var app = MeshHarness.OutboundClient(web);
        await MeshHarness.UntilAsync(async () => (await MeshHarness.GetAsync(app, "cart", "/api/items")).Body == "cart:v1", "web reaches cart over mTLS");
        var cartInbound = cart.Server.Config.Listeners.Single(l => l.Name == "inbound").Port;

        // Pooled proxy-to-proxy connections carry the load; a fresh handshake every time checks that new connections
        // always meet a valid (rotated) server certificate and that cart accepts web's rotated client certificate.
        var duration = TimeSpan.FromSeconds(15);
        var load = SidecarDistributionTests.LoadAsync(app, duration, "cart:v1");
        var handshakes = 0;
        var handshakeFailures = new List<string>();
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < duration;)
        {
            var current = web.Identity.Current;
            using var client = MeshPeers.MtlsClient(current.Certificate, current.TrustRoot, CartId);
            try
            {
                using var response = await client.GetAsync(new Uri($"https://127.0.0.1:{cartInbound}/api/items"));
                handshakes++;
                if (!response.IsSuccessStatusCode)
                {
                    handshakeFailures.Add($"{(int)response.StatusCode}");
                }
            }
            catch (HttpRequestException ex)
            {
                handshakeFailures.Add(ex.InnerException?.Message ?? ex.Message);
            }
        }

        var (ok, failed) = await load;
        output.WriteLine($"{ok} proxied requests, {handshakes} fresh handshakes; rotations: cart {cart.Identity.Rotations}, web {web.Identity.Rotations}");
        Assert.True(failed.Count == 0, string.Join("\n", failed.Take(5)));
        Assert.True(handshakeFailures.Count == 0, string.Join("\n", handshakeFailures.Take(5)));
        Assert.True(cart.Identity.Rotations >= 2, $"cart rotated {cart.Identity.Rotations} times");
        Assert.True(web.Identity.Rotations >= 2, $"web rotated {web.Identity.Rotations} times");
        Assert.True(ok > 100 && handshakes > 5, $"{ok} requests, {handshakes} handshakes");
    }

    [Fact]
    public async Task Impostors_OtherCaOrWrongIdentity_RefusedBothWays()
    {
        await using var mesh = await MeshHarness.StartAsync(Resources.Shop() + "\n---\n" + Resources.Service("payments") + "\n---\n" + Resources.Service("ledger"));
        var cart = await mesh.ServiceAsync("cart", "v1");
        var web = await mesh.ServiceAsync("web", "v1", outbound: true);
        using var app = MeshHarness.OutboundClient(web);
        using var proxyApi = new MeshControlPlaneClient(mesh.Mesh.ApiUrl, mesh.ProxyToken);

        // payments: a server with the right SPIFFE id from another CA. ledger: a real mesh certificate, for "evil".
        using var foreign = MeshPeers.ForeignCertificate("spiffe://mesh.local/ns/shop/sa/payments");
        var (payments, paymentsPort) = await MeshPeers.TlsAppAsync(foreign);
        var (evilCert, root) = await MeshCertificates.RequestWithRootAsync(proxyApi, "shop", "evil", null);
        var (ledger, ledgerPort) = await MeshPeers.TlsAppAsync(evilCert);
        await using var _ = payments;
        await using var __ = ledger;
        foreach (var (service, port) in new[] { ("payments", paymentsPort), ("ledger", ledgerPort) })
        {
            await proxyApi.RegisterAsync(new RegisterEndpointRequest { Namespace = "shop", Service = service, Address = "127.0.0.1", Port = port, ProxyId = $"impostor-{service}", TtlSeconds = 300 });
        }

        await MeshHarness.UntilAsync(() => Task.FromResult(web.Server.Config.Clusters.Count(c => c.Name is "payments.shop" or "ledger.shop") == 2), "web knows both impostor services");
        const string traceId = "6bf92f3577b34da6a3ce929d0e0e4738";
        var (otherCaStatus, otherCaBody, otherCa) = await MeshHarness.GetAsync(app, "payments", "/pay", traceparent: $"00-{traceId}-00f067aa0ba902b7-01");
        var (wrongIdStatus, wrongIdBody, wrongId) = await MeshHarness.GetAsync(app, "ledger", "/entries");

        Assert.Equal(503, otherCaStatus);
        Assert.Equal("upstream-connect-failure", otherCa.Headers.GetValues("x-mesh-error").Single());
        Assert.Contains("does not chain to the mesh trust root", otherCaBody, StringComparison.Ordinal);
        Assert.Equal(503, wrongIdStatus);
        Assert.Contains("peer identity spiffe://mesh.local/ns/shop/sa/evil is not the expected spiffe://mesh.local/ns/shop/sa/ledger", wrongIdBody, StringComparison.Ordinal);
        Assert.DoesNotContain("impostor", otherCaBody + wrongIdBody, StringComparison.Ordinal);
        Assert.Equal("cart:v1", (await MeshHarness.GetAsync(app, "cart", "/api/items")).Body);
        var span = await MeshPeers.SpanAsync(mesh.Mesh, traceId, "CLIENT");
        Assert.Equal("ERROR", span.GetProperty("status").GetProperty("code").GetString());
        Assert.Contains("does not chain to the mesh trust root", span.GetProperty("status").ToString(), StringComparison.Ordinal);
        Assert.Equal("UF", span.GetProperty("attributes").GetProperty("mesh.response_flags").GetString());

        // Inbound: cart (STRICT) refuses a client certificate from another CA, and plaintext; a mesh peer gets in.
        var cartInbound = cart.Server.Config.Listeners.Single(l => l.Name == "inbound").Port;
        var inbound = new Uri($"https://127.0.0.1:{cartInbound}/api/items");
        using var foreignClient = MeshPeers.MtlsClient(MeshPeers.ForeignCertificate("spiffe://mesh.local/ns/shop/sa/web"), null, null);
        await Assert.ThrowsAsync<HttpRequestException>(() => foreignClient.GetAsync(inbound));
        using var plain = new HttpClient();
        using var plaintext = await plain.GetAsync(new Uri($"http://127.0.0.1:{cartInbound}/api/items"));
        Assert.Equal(403, (int)plaintext.StatusCode);
        Assert.Equal("mtls-required", plaintext.Headers.GetValues("x-mesh-error").Single());
        using var meshClient = MeshPeers.MtlsClient(evilCert, root, CartId);
        using var admitted = await meshClient.GetAsync(inbound);
        Assert.Equal("cart:v1", await admitted.Content.ReadAsStringAsync());
        otherCa.Dispose();
        wrongId.Dispose();
    }

    [Fact]
    public async Task Permissive_AcceptsPlaintextAndMtlsOnOnePort()
    {
        await using var mesh = await MeshHarness.StartAsync(Resources.Shop("PERMISSIVE"));
        var cart = await mesh.ServiceAsync("cart", "v1");
        var cartInbound = cart.Server.Config.Listeners.Single(l => l.Name == "inbound").Port;
        using var plain = new HttpClient();

        using var plaintext = await plain.GetAsync(new Uri($"http://127.0.0.1:{cartInbound}/api/items"));
        var current = cart.Identity.Current;
        using var meshClient = MeshPeers.MtlsClient(current.Certificate, current.TrustRoot, CartId);
        using var mtls = await meshClient.GetAsync(new Uri($"https://127.0.0.1:{cartInbound}/api/items"));

        Assert.Equal("cart:v1", await plaintext.Content.ReadAsStringAsync());
        Assert.Equal("cart:v1", await mtls.Content.ReadAsStringAsync());
    }
}
