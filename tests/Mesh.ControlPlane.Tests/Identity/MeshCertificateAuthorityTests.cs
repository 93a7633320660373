using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mesh.ControlPlane.Access;
using Mesh.ControlPlane.Client;
using Mesh.ControlPlane.Identity;
using Mesh.ControlPlane.Resources;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Mesh.ControlPlane.Tests.Identity;

public sealed class MeshCertificateAuthorityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-ca-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private MeshCertificateAuthority Ca(string name = "a") => new(new CaOptions { Directory = Path.Combine(_dir, name) }, _time);

    private static (string Csr, ECDsa Key) Csr(string subject = "CN=whatever")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (new System.Security.Cryptography.X509Certificates.CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSigningRequestPem(), key);
    }

    [Fact]
    public void Sign_Csr_ShortLivedCertWithSpiffeId_Verifies()
    {
        using var ca = Ca();
        var (csr, key) = Csr();
        using var _ = key;

        var response = ca.Sign(csr, "shop", "cart");
        using var cert = X509Certificate2.CreateFromPem(response.Certificate);

        Assert.Equal("spiffe://mesh.local/ns/shop/sa/cart", response.SpiffeId);
        Assert.Equal("spiffe://mesh.local/ns/shop/sa/cart", MeshCertificates.SpiffeIdOf(cert));
        Assert.Equal(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1), response.NotAfter - response.NotBefore);
        var ok = MeshCertificates.Verify(cert, ca.Root, _time.GetUtcNow(), "spiffe://mesh.local/ns/shop/sa/cart");
        Assert.True(ok.Valid, ok.Error);
        Assert.Equal(response.NotBefore + ((response.NotAfter - response.NotBefore) * 2 / 3), MeshCertificates.RotationDue(cert), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Sign_ShortTtlRequested_ShortLifeCappedByDefault()
    {
        using var ca = Ca();
        var (csr, key) = Csr();
        using var _ = key;

        var brief = ca.Sign(csr, "shop", "cart", ttlSeconds: 30);
        var capped = ca.Sign(csr, "shop", "cart", ttlSeconds: 7 * 24 * 3600);
        var tooShort = Assert.Throws<ResourceValidationException>(() => ca.Sign(csr, "shop", "cart", ttlSeconds: 1));

        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(30), brief.NotAfter);
        Assert.Equal(TimeSpan.FromSeconds(3), brief.NotAfter - brief.NotBefore - TimeSpan.FromSeconds(30));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromHours(24), capped.NotAfter);
        Assert.Contains("ttlSeconds", tooShort.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_CertFromOtherCa_Refused()
    {
        using var mesh = Ca("mesh");
        using var other = Ca("other");
        var (csr, key) = Csr();
        using var _ = key;
        using var impostor = X509Certificate2.CreateFromPem(other.Sign(csr, "shop", "cart").Certificate);

        var result = MeshCertificates.Verify(impostor, mesh.Root, _time.GetUtcNow(), "spiffe://mesh.local/ns/shop/sa/cart");

        Assert.False(result.Valid);
        Assert.Contains("does not chain to the mesh trust root", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ValidCertWrongIdentity_Refused()
    {
        using var ca = Ca();
        var (csr, key) = Csr("CN=cart.shop");
        using var _ = key;
        using var web = X509Certificate2.CreateFromPem(ca.Sign(csr, "shop", "web").Certificate);

        var result = MeshCertificates.Verify(web, ca.Root, _time.GetUtcNow(), "spiffe://mesh.local/ns/shop/sa/cart");

        Assert.False(result.Valid);
        Assert.Equal("spiffe://mesh.local/ns/shop/sa/web", result.Identity);
    }

    [Fact]
    public void Verify_AfterExpiry_Refused()
    {
        using var ca = Ca();
        var (csr, key) = Csr();
        using var _ = key;
        using var cert = X509Certificate2.CreateFromPem(ca.Sign(csr, "shop", "cart").Certificate);

        Assert.False(MeshCertificates.Verify(cert, ca.Root, _time.GetUtcNow().AddHours(25)).Valid);
    }

    [Fact]
    public void Root_KeptInDataDir_ReusedOnRestart_KeyOwnerOnly()
    {
        string first;
        using (var ca = Ca())
        {
            first = ca.RootPem;
        }

        using var again = Ca();

        Assert.Equal(first, again.RootPem);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "a", "root.key")));
    }

    [Fact]
    public void Sign_GarbageCsr_NamesField()
    {
        using var ca = Ca();

        var ex = Assert.Throws<ResourceValidationException>(() => ca.Sign("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----", "shop", "cart"));

        Assert.Contains("certificate csr: not a valid PKCS#10 request", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_ProxyTokenScopedToOtherService_RefusedNamingMismatch()
    {
        using var ca = Ca();
        var (csr, key) = Csr();
        using var _ = key;
        var web = new Caller("web-proxy", Roles.Proxy, new TokenScope("shop", "web"));

        var refused = Assert.Throws<ScopeRefusedException>(() => ca.Sign(csr, "shop", "cart", caller: web));
        var otherNamespace = Assert.Throws<ScopeRefusedException>(() => ca.Sign(csr, "bank", "web", caller: web));
        var own = ca.Sign(csr, "shop", "web", caller: web);

        Assert.Equal("token 'web-proxy' is scoped to 'shop/web' and cannot act for a certificate for spiffe://mesh.local/ns/shop/sa/cart (namespace 'shop', service 'cart')", refused.Message);
        Assert.Contains("spiffe://mesh.local/ns/bank/sa/web", otherNamespace.Message, StringComparison.Ordinal);
        Assert.Equal("spiffe://mesh.local/ns/shop/sa/web", own.SpiffeId);
    }

    [Fact]
    public void Sign_NamespaceScope_CoversEveryServiceOfItOnly_AdminAny_UnscopedProxyNone()
    {
        using var ca = Ca();
        var (csr, key) = Csr();
        using var _ = key;
        var shop = new Caller("shop-proxies", Roles.Proxy, new TokenScope("shop", null));

        Assert.Equal("spiffe://mesh.local/ns/shop/sa/cart", ca.Sign(csr, "shop", "cart", caller: shop).SpiffeId);
        Assert.Equal("spiffe://mesh.local/ns/shop/sa/web", ca.Sign(csr, "shop", "web", caller: shop).SpiffeId);
        Assert.Throws<ScopeRefusedException>(() => ca.Sign(csr, "bank", "cart", caller: shop));
        Assert.Equal("spiffe://mesh.local/ns/bank/sa/cart", ca.Sign(csr, "bank", "cart", caller: new Caller("root", Roles.Admin)).SpiffeId);
        var unscoped = Assert.Throws<ScopeRefusedException>(() => ca.Sign(csr, "shop", "cart", caller: new Caller("old", Roles.Proxy)));
        Assert.Contains("token 'old' has no scope", unscoped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_CsrAsksForAnotherSpiffeId_Refused()
    {
        using var ca = Ca();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=web.shop", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri("spiffe://mesh.local/ns/shop/sa/cart"));
        request.CertificateExtensions.Add(san.Build());
        var csr = request.CreateSigningRequestPem();
        var web = new Caller("web-proxy", Roles.Proxy, new TokenScope("shop", "web"));

        var mismatch = Assert.Throws<ResourceValidationException>(() => ca.Sign(csr, "shop", "web", caller: web));
        var outOfScope = Assert.Throws<ScopeRefusedException>(() => ca.Sign(csr, "shop", "cart", caller: web));

        Assert.Contains("certificate csr: asks for identity spiffe://mesh.local/ns/shop/sa/cart, but namespace 'shop' and service 'web' mean spiffe://mesh.local/ns/shop/sa/web", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains("cannot act for a certificate for spiffe://mesh.local/ns/shop/sa/cart", outOfScope.Message, StringComparison.Ordinal);
        Assert.Equal("spiffe://mesh.local/ns/shop/sa/cart", ca.Sign(csr, "shop", "cart", caller: new Caller("shop", Roles.Proxy, new TokenScope("shop", null))).SpiffeId);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
