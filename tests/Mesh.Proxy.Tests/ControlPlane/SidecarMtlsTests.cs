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
    public async Task Rotation_ShortLivedCertificates_UnderLoad_NoRequestFails_NewConnectionsPresentNewCertificate()
    {
        await using var mesh = await MeshHarness.StartAsync(Resources.Shop() + "\n---\n" + Resources.Service("ledger"));
        var ttl = TimeSpan.FromSeconds(6);
        var cart = await mesh.ServiceAsync("cart", "v1", certTtl: ttl);
        var web = await mesh.ServiceAsync("web", "v1", outbound: true, certTtl: ttl);
        using var app = MeshHarness.OutboundClient(web);
        using var ledgerApp = MeshHarness.OutboundClient(web);

        // ledger: an mTLS app with a real (long-lived) mesh certificate that records which client certificate each
        // request's connection presented: web's outbound pool, seen from the other end of its connections.
        using var proxyApi = new MeshControlPlaneClient(mesh.Mesh.ApiUrl, mesh.ProxyToken);
        var (ledgerCert, root) = await MeshCertificates.RequestWithRootAsync(proxyApi, "shop", "ledger", null);
        var (ledger, ledgerPort, seen) = await MeshPeers.RecordingMtlsAppAsync(ledgerCert, root);
        await using var _ = ledger;
        await proxyApi.RegisterAsync(new RegisterEndpointRequest { Namespace = "shop", Service = "ledger", Address = "127.0.0.1", Port = ledgerPort, ProxyId = "ledger-recorder", TtlSeconds = 300 });
        await MeshHarness.UntilAsync(async () => (await MeshHarness.GetAsync(app, "cart", "/api/items")).Body == "cart:v1", "web reaches cart over mTLS");
        await MeshHarness.UntilAsync(async () => (await MeshHarness.GetAsync(ledgerApp, "ledger", "/entries")).Body == "recorded", "web reaches ledger over mTLS");
        var cartInbound = cart.Server.Config.Listeners.Single(l => l.Name == "inbound").Port;

        // web's certificates in the order they came, with when each became current.
        var timeline = new List<(long Since, string Thumbprint)> { (Stopwatch.GetTimestamp(), web.Identity.Current.Certificate.Thumbprint) };
        using var stopWatching = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            while (!stopWatching.IsCancellationRequested)
            {
                var now = web.Identity.Current.Certificate.Thumbprint;
                lock (timeline)
                {
                    if (timeline[^1].Thumbprint != now)
                    {
                        timeline.Add((Stopwatch.GetTimestamp(), now));
                    }
                }

                await Task.Delay(5);
            }
        });

        // Pooled proxy-to-proxy connections carry the load; a fresh handshake every time checks that new connections
        // always meet a valid (rotated) server certificate and that cart accepts web's rotated client certificate.
        var duration = TimeSpan.FromSeconds(15);
        var load = SidecarDistributionTests.LoadAsync(app, duration, "cart:v1");
        var ledgerLoad = SidecarDistributionTests.LoadAsync(ledgerApp, duration, "recorded", host: "ledger", path: "/entries");
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
        var (ledgerOk, ledgerFailed) = await ledgerLoad;
        await stopWatching.CancelAsync();
        await watching;
        output.WriteLine($"{ok} proxied requests to cart, {ledgerOk} to ledger, {handshakes} fresh handshakes; rotations: cart {cart.Identity.Rotations}, web {web.Identity.Rotations}");
        Assert.True(failed.Count == 0, string.Join("\n", failed.Take(5)));
        Assert.True(ledgerFailed.Count == 0, string.Join("\n", ledgerFailed.Take(5)));
        Assert.True(handshakeFailures.Count == 0, string.Join("\n", handshakeFailures.Take(5)));
        Assert.True(cart.Identity.Rotations >= 2, $"cart rotated {cart.Identity.Rotations} times");
        Assert.True(web.Identity.Rotations >= 2, $"web rotated {web.Identity.Rotations} times");
        Assert.True(ok > 100 && ledgerOk > 100 && handshakes > 5, $"{ok} + {ledgerOk} requests, {handshakes} handshakes");

        // After a rotation, new requests go over new connections presenting the new certificate: a request may come
        // over an older certificate's connection only if it was in flight at the rotation (a few seconds' grace for
        // this loaded machine; rotations here are about 4 s apart, a pool that kept its connections fails at once).
        var grace = (long)(Stopwatch.Frequency * 2.5);
        var order = timeline.Select((t, i) => (t.Thumbprint, i)).ToDictionary(x => x.Thumbprint, x => x.i);
        var stale = new List<string>();
        var entries = seen.Entries.Where(e => e.At >= timeline[0].Since).ToList();
        foreach (var (at, thumbprint, connection) in entries)
        {
            var required = timeline.FindLastIndex(t => t.Since <= at - grace);
            var presented = order.GetValueOrDefault(thumbprint, -1);
            if (presented < required)
            {
                stale.Add($"{(at - timeline[0].Since) * 1000 / Stopwatch.Frequency} ms: connection {connection} presented certificate #{presented}, #{required} was current since {(timeline[required].Since - timeline[0].Since) * 1000 / Stopwatch.Frequency} ms");
            }
        }

        var presentedCertificates = entries.Select(e => e.Thumbprint).Distinct().ToList();
        output.WriteLine($"ledger saw {entries.Count} requests over {entries.Select(e => e.Connection).Distinct().Count()} connections presenting {presentedCertificates.Count} of web's {timeline.Count} certificates");
        Assert.True(stale.Count == 0, $"{stale.Count} requests on connections with a replaced certificate:\n" + string.Join("\n", stale.Take(5)));
        Assert.True(presentedCertificates.Count >= 3, $"ledger saw {presentedCertificates.Count} distinct client certificates");
        Assert.Contains(entries[^1].Thumbprint, timeline.TakeLast(2).Select(t => t.Thumbprint));
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
