using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mesh.ControlPlane.Client;
using Mesh.ControlPlane.Client.Contracts;
using Mesh.Testing;
using Xunit;

namespace Mesh.ControlPlane.Tests.EndToEnd;

/// <summary>
/// Proxy tokens are bound to the workloads they name: against a real <c>mesh up</c>, a token for shop/web gets web's
/// certificate, endpoint and watch, and is refused (403 naming the mismatch) for any other service's.
/// </summary>
public sealed class TokenScopeTests(MeshUp up) : IClassFixture<MeshUp>
{
    private readonly MeshProcess _mesh = up.Mesh;

    [Fact]
    public async Task Certificate_ForServiceOutsideTokenScope_403NamingMismatch()
    {
        using var admin = new MeshControlPlaneClient(_mesh.ApiUrl, MeshProcess.AdminToken);
        var created = await admin.CreateTokenAsync("web-sidecar", "proxy", "shop/web");
        using var web = new MeshControlPlaneClient(_mesh.ApiUrl, created.Token);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=cart.shop", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();

        var refused = await Assert.ThrowsAsync<MeshApiException>(() => web.SignAsync(new Mesh.ControlPlane.Client.Contracts.CertificateRequest(csr, "shop", "cart")));
        var otherNamespace = await Assert.ThrowsAsync<MeshApiException>(() => web.SignAsync(new Mesh.ControlPlane.Client.Contracts.CertificateRequest(csr, "bank", "web")));
        var own = await web.SignAsync(new Mesh.ControlPlane.Client.Contracts.CertificateRequest(csr, "shop", "web"));

        Assert.Equal("shop/web", created.Scope);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("token 'web-sidecar' is scoped to 'shop/web' and cannot act for a certificate for spiffe://mesh.local/ns/shop/sa/cart", refused.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, otherNamespace.Status);
        Assert.Contains("spiffe://mesh.local/ns/bank/sa/web", otherNamespace.Message, StringComparison.Ordinal);
        using var certificate = X509Certificate2.CreateFromPem(own.Certificate);
        Assert.Equal("spiffe://mesh.local/ns/shop/sa/web", MeshCertificates.SpiffeIdOf(certificate));
    }

    [Fact]
    public async Task RegisterAndWatch_OutsideTokenScope_403_NamespaceScopeCoversItsServices()
    {
        using var admin = new MeshControlPlaneClient(_mesh.ApiUrl, MeshProcess.AdminToken);
        using var web = new MeshControlPlaneClient(_mesh.ApiUrl, (await admin.CreateTokenAsync("web-only", "proxy", "shop/web")).Token);
        using var shop = new MeshControlPlaneClient(_mesh.ApiUrl, (await admin.CreateTokenAsync("shop-sidecars", "proxy", "shop/*")).Token);
        var cart = new RegisterEndpointRequest { Namespace = "shop", Service = "cart", Address = "127.0.0.1", Port = 9555, ProxyId = "cart-scope-test", TtlSeconds = 60 };

        var register = await Assert.ThrowsAsync<MeshApiException>(() => web.RegisterAsync(cart));
        var watch = await Assert.ThrowsAsync<MeshApiException>(async () =>
        {
            await foreach (var _ in web.WatchAsync(new ProxyNode { Id = "cart-scope-test", Namespace = "shop", Service = "cart" }))
            {
                break;
            }
        });
        var lease = await shop.RegisterAsync(cart);

        Assert.Equal(HttpStatusCode.Forbidden, register.Status);
        Assert.Contains("cannot act for an endpoint registration (namespace 'shop', service 'cart')", register.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, watch.Status);
        Assert.Contains("cannot act for a watch (namespace 'shop', service 'cart')", watch.Message, StringComparison.Ordinal);
        Assert.Equal("shop/cart/127.0.0.1:9555", lease.Id);
    }

    [Fact]
    public async Task RenewDeregisterAck_OfAnotherWorkload_403_OwnOnesWork()
    {
        using var admin = new MeshControlPlaneClient(_mesh.ApiUrl, MeshProcess.AdminToken);
        using var web = new MeshControlPlaneClient(_mesh.ApiUrl, (await admin.CreateTokenAsync("web-lease", "proxy", "shop/web")).Token);
        using var cart = new MeshControlPlaneClient(_mesh.ApiUrl, (await admin.CreateTokenAsync("cart-lease", "proxy", "shop/cart")).Token);
        var lease = await cart.RegisterAsync(new RegisterEndpointRequest { Namespace = "shop", Service = "cart", Address = "127.0.0.1", Port = 9556, ProxyId = "cart-lease-test", TtlSeconds = 60 });
        var node = new ProxyNode { Id = "cart-lease-test", Namespace = "shop", Service = "cart" };
        long version;
        await using (var snapshots = cart.WatchAsync(node).GetAsyncEnumerator())
        {
            Assert.True(await snapshots.MoveNextAsync());
            version = snapshots.Current.Version;
        }

        var renew = await Assert.ThrowsAsync<MeshApiException>(() => web.RenewAsync(lease.Id));
        var deregister = await Assert.ThrowsAsync<MeshApiException>(() => web.DeregisterAsync(lease.Id));
        var ack = await Assert.ThrowsAsync<MeshApiException>(() => web.AckAsync(node.Id, version, "forged NACK"));
        var notALease = await Assert.ThrowsAsync<MeshApiException>(() => web.RenewAsync("shop-web-no-slashes"));

        Assert.Equal(HttpStatusCode.Forbidden, renew.Status);
        Assert.Contains("cannot act for a lease renewal of 'shop/cart/127.0.0.1:9556' (namespace 'shop', service 'cart')", renew.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, deregister.Status);
        Assert.Contains("cannot act for a deregistration of 'shop/cart/127.0.0.1:9556'", deregister.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, ack.Status);
        Assert.Contains("cannot act for an ACK of proxy 'cart-lease-test'", ack.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, notALease.Status);
        Assert.Contains("is not a lease id", notALease.Message, StringComparison.Ordinal);

        // The forged NACK changed nothing; the owner's calls all work.
        var status = Assert.Single(await admin.ProxiesAsync(), p => p.Id == node.Id);
        Assert.Null(status.NackError);
        await cart.AckAsync(node.Id, version);
        Assert.Equal(lease.Id, (await cart.RenewAsync(lease.Id)).Id);
        await cart.DeregisterAsync(lease.Id);
        Assert.DoesNotContain(await admin.EndpointsAsync(), e => e.Id == lease.Id);
    }

    [Fact]
    public async Task CreateToken_ProxyWithoutScopeOrBadScope_OtherRoleWithScope_422NamingScope()
    {
        using var admin = new MeshControlPlaneClient(_mesh.ApiUrl, MeshProcess.AdminToken);

        var missing = await Assert.ThrowsAsync<MeshApiException>(() => admin.CreateTokenAsync("p", "proxy"));
        var bad = await Assert.ThrowsAsync<MeshApiException>(() => admin.CreateTokenAsync("p", "proxy", "Shop"));
        var notProxy = await Assert.ThrowsAsync<MeshApiException>(() => admin.CreateTokenAsync("v", "viewer", "shop/*"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.Status);
        Assert.Contains("token scope: is required for a proxy token", missing.Message, StringComparison.Ordinal);
        Assert.Contains("token scope: 'Shop' is not a scope", bad.Message, StringComparison.Ordinal);
        Assert.Contains("token scope: only proxy tokens take a scope", notProxy.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await admin.ListTokensAsync(), t => t.Name is "p" or "v");
    }
}
