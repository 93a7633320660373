using Mesh.Proxy.Config;

namespace Mesh.Proxy.Tests.Config;

/// <summary>Authorization policies, mesh mTLS and cluster identities: bound from YAML, and every bad field named.</summary>
public sealed class SecurityConfigTests
{
    private const string Yaml = """
        service: { name: cart, namespace: shop }
        listeners: [{ name: inbound, port: 8081, mode: inbound }]
        routes: [{ name: in, cluster: local }]
        clusters:
          - { name: local, endpoints: [{ address: 127.0.0.1, port: 9001 }] }
          - { name: payments.shop, identity: "spiffe://mesh.local/ns/shop/sa/payments", endpoints: [{ address: 127.0.0.1, port: 9002 }] }
        mtls: { mode: permissive, trustDomain: mesh.local }
        authorization:
          defaultDeny: true
          policies:
            - name: shop/no-admin
              action: deny
              rules: [{ paths: ["/admin*"] }]
            - name: shop/web-reads
              action: allow
              rules: [{ identities: ["spiffe://mesh.local/ns/shop/sa/web"], methods: [GET, head] }, { namespaces: [ops] }]
        """;

    [Fact]
    public void FromYaml_SecuritySections_BindEveryField()
    {
        var config = ProxyConfigSerializer.FromYaml(Yaml);

        Assert.Equal(MtlsMode.Permissive, config.Mtls?.Mode);
        Assert.Equal("spiffe://mesh.local/ns/shop/sa/payments", config.Clusters[1].Identity);
        Assert.True(config.Authorization?.DefaultDeny);
        Assert.Equal([("shop/no-admin", AuthorizationAction.Deny), ("shop/web-reads", AuthorizationAction.Allow)], config.Authorization!.Policies.Select(p => (p.Name, p.Action)));
        Assert.Equal(["GET", "head"], config.Authorization.Policies[1].Rules[0].Methods);
        Assert.Equal(["ops"], config.Authorization.Policies[1].Rules[1].Namespaces);
        var again = ProxyConfigSerializer.FromJson(ProxyConfigSerializer.ToJson(config));
        Assert.Equal(ProxyConfigSerializer.ToJson(config), ProxyConfigSerializer.ToJson(again));
    }

    [Theory]
    [InlineData("authorization.policies[1].rules[0].methods[1]: 'FETCH' is not an HTTP method", "head]", "FETCH]")]
    [InlineData("authorization.policies[0].rules[0].paths[0]: 'admin*' must start with /", "\"/admin*\"", "\"admin*\"")]
    [InlineData("authorization.policies[1].rules[0].identities[0]: 'web' is not a spiffe:// id", "\"spiffe://mesh.local/ns/shop/sa/web\"", "web")]
    [InlineData("authorization.policies[1].name: 'shop/no-admin' is used by another policy", "name: shop/web-reads", "name: shop/no-admin")]
    [InlineData("authorization.policies[0].name: 'default-deny' is reserved", "name: shop/no-admin", "name: default-deny")]
    [InlineData("authorization.policies[0].action: expected one of allow, deny", "action: deny", "action: reject")]
    [InlineData("clusters[1].identity: 'payments' is not a spiffe:// URI", "\"spiffe://mesh.local/ns/shop/sa/payments\"", "payments")]
    [InlineData("mtls.trustDomain: 'a/b' is not a trust domain", "trustDomain: mesh.local", "trustDomain: a/b")]
    [InlineData("mtls: certificateFile, keyFile and caFile go together", "trustDomain: mesh.local", "trustDomain: mesh.local, certificateFile: /tmp/a.pem")]
    [InlineData("clusters[1].identity: needs the mtls section", "mtls: { mode: permissive, trustDomain: mesh.local }", "")]
    public void FromYaml_BadSecurityField_ErrorNamesField(string expected, string find, string replace)
    {
        var yaml = Yaml.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Yaml, yaml);

        var ex = Assert.Throws<ProxyConfigException>(() => ProxyConfigSerializer.FromYaml(yaml));

        Assert.Contains(ex.Errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
    }
}
