using Mesh.ControlPlane.Client;

namespace Mesh.Proxy.Tests.ControlPlane;

/// <summary>AuthorizationPolicies applied to the control plane, enforced by the callee's sidecar with the caller's mTLS identity.</summary>
public sealed class SidecarAuthorizationTests
{
    private const string Policies = """
        kind: AuthorizationPolicy
        metadata: {name: no-admin, namespace: shop}
        spec:
          service: cart
          action: DENY
          rules: [{paths: ["/api/admin*"]}]
        ---
        kind: AuthorizationPolicy
        metadata: {name: web-reads, namespace: shop}
        spec:
          service: cart
          action: ALLOW
          rules: [{identities: ["spiffe://mesh.local/ns/shop/sa/web"], methods: [GET]}]
        """;

    [Fact]
    public async Task Policy_DeniesExactlyWhatItSays_SpanAndLogNameIt_InvalidApplyChangesNothing()
    {
        await using var mesh = await MeshHarness.StartAsync(Resources.Shop() + "\n---\n" + Policies);
        var cart = await mesh.ServiceAsync("cart", "v1");
        var web = await mesh.ServiceAsync("web", "v1", outbound: true);
        using var app = MeshHarness.OutboundClient(web);
        await MeshHarness.UntilAsync(async () => (await MeshHarness.GetAsync(app, "cart", "/api/items")).Status == 200, "web reaches cart");

        const string traceId = "7bf92f3577b34da6a3ce929d0e0e4739";
        var (readStatus, readBody, read) = await MeshHarness.GetAsync(app, "cart", "/api/items");
        var (adminStatus, adminBody, admin) = await MeshHarness.GetAsync(app, "cart", "/api/admin/users", traceparent: $"00-{traceId}-00f067aa0ba902b7-01");
        var (postStatus, postBody, post) = await MeshHarness.GetAsync(app, "cart", "/api/items", HttpMethod.Post);

        Assert.Equal((200, "cart:v1"), (readStatus, readBody));
        Assert.Equal(403, adminStatus);
        Assert.Equal("shop/no-admin", admin.Headers.GetValues("x-mesh-authz-policy").Single());
        Assert.Equal("authz-denied", admin.Headers.GetValues("x-mesh-error").Single());
        Assert.Contains("GET /api/admin/users from spiffe://mesh.local/ns/shop/sa/web is not authorized: policy shop/no-admin denies it", adminBody, StringComparison.Ordinal);
        Assert.Equal(403, postStatus);
        Assert.Equal("default-deny", post.Headers.GetValues("x-mesh-authz-policy").Single());

        // Another mesh identity is not on the ALLOW list: refused by default-deny, even for a GET.
        using var proxyApi = new MeshControlPlaneClient(mesh.Mesh.ApiUrl, mesh.ProxyToken);
        var (intruder, root) = await MeshCertificates.RequestWithRootAsync(proxyApi, "shop", "intruder", null);
        using var intruderClient = MeshPeers.MtlsClient(intruder, root, "spiffe://mesh.local/ns/shop/sa/cart");
        var cartInbound = cart.Server.Config.Listeners.Single(l => l.Name == "inbound").Port;
        using var refused = await intruderClient.GetAsync(new Uri($"https://127.0.0.1:{cartInbound}/api/items"));
        Assert.Equal(403, (int)refused.StatusCode);
        Assert.Equal("default-deny", refused.Headers.GetValues("x-mesh-authz-policy").Single());

        var span = await MeshPeers.SpanAsync(mesh.Mesh, traceId, "SERVER");
        Assert.Equal("cart", span.GetProperty("service").GetString());
        Assert.Equal("shop/no-admin", span.GetProperty("attributes").GetProperty("mesh.authz.policy").GetString());
        Assert.Equal("spiffe://mesh.local/ns/shop/sa/web", span.GetProperty("attributes").GetProperty("mesh.tls.peer_identity").GetString());
        Assert.True(span.GetProperty("attributes").GetProperty("mesh.mtls").GetBoolean());

        // The caller's outbound span: the hop went over mTLS to the verified identity of cart.
        var client = await MeshPeers.SpanAsync(mesh.Mesh, traceId, "CLIENT");
        Assert.Equal("web", client.GetProperty("service").GetString());
        Assert.True(client.GetProperty("attributes").GetProperty("mesh.mtls").GetBoolean());
        Assert.Equal("spiffe://mesh.local/ns/shop/sa/cart", client.GetProperty("attributes").GetProperty("mesh.tls.peer_identity").GetString());
        var log = await MeshPeers.LogAsync(mesh.Mesh, traceId, "inbound");
        Assert.Equal("shop/no-admin", log.GetProperty("attributes").GetProperty("mesh.authz.policy").GetString());

        // An invalid policy is refused with the field named, and nothing changes at the proxies.
        var version = cart.AppliedVersion;
        var revisions = (await mesh.Admin.RevisionsAsync()).Count;
        var bad = await Assert.ThrowsAsync<MeshApiException>(() => mesh.Admin.ApplyAsync(Policies.Replace("methods: [GET]", "methods: [FETCH]", StringComparison.Ordinal)));
        Assert.Contains("spec.rules[0].methods[0]", bad.Message, StringComparison.Ordinal);
        Assert.Equal(revisions, (await mesh.Admin.RevisionsAsync()).Count);
        Assert.Equal(version, cart.AppliedVersion);
        Assert.Equal(200, (await MeshHarness.GetAsync(app, "cart", "/api/items")).Status);
        read.Dispose();
        admin.Dispose();
        post.Dispose();
    }
}
