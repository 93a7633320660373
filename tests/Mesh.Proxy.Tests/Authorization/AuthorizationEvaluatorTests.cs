using Mesh.Proxy.Authorization;
using Mesh.Proxy.Config;

namespace Mesh.Proxy.Tests.Authorization;

public sealed class AuthorizationEvaluatorTests
{
    private const string Web = "spiffe://mesh.local/ns/shop/sa/web";
    private const string Ops = "spiffe://mesh.local/ns/ops/sa/console";

    private static AuthorizationConfig Policies(bool defaultDeny, params AuthorizationPolicyConfig[] policies) => new() { DefaultDeny = defaultDeny, Policies = policies };

    private static AuthorizationPolicyConfig Policy(string name, AuthorizationAction action, params AuthorizationRuleConfig[] rules) => new() { Name = name, Action = action, Rules = rules };

    [Fact]
    public void Evaluate_DenyWinsOverAllow_NamesDenyPolicy()
    {
        var config = Policies(false,
            Policy("shop/allow-web", AuthorizationAction.Allow, new AuthorizationRuleConfig { Identities = [Web] }),
            Policy("shop/no-admin", AuthorizationAction.Deny, new AuthorizationRuleConfig { Paths = ["/admin*"] }));

        Assert.Equal(new AuthorizationDecision(false, "shop/no-admin"), AuthorizationEvaluator.Evaluate(config, Web, "GET", "/admin/users"));
        Assert.True(AuthorizationEvaluator.Evaluate(config, Web, "GET", "/items").Allowed);
        Assert.Equal(new AuthorizationDecision(false, "default-deny"), AuthorizationEvaluator.Evaluate(config, Ops, "GET", "/items"));
    }

    [Fact]
    public void Evaluate_RuleFieldsAreAnded_EntriesOred()
    {
        var config = Policies(true, Policy("shop/reads", AuthorizationAction.Allow,
            new AuthorizationRuleConfig { Namespaces = ["shop"], Methods = ["GET", "head"], Paths = ["/items", "/cart/*"] }));

        Assert.True(AuthorizationEvaluator.Evaluate(config, Web, "HEAD", "/cart/7").Allowed);
        Assert.True(AuthorizationEvaluator.Evaluate(config, Web, "GET", "/items").Allowed);
        Assert.False(AuthorizationEvaluator.Evaluate(config, Web, "POST", "/items").Allowed);
        Assert.False(AuthorizationEvaluator.Evaluate(config, Web, "GET", "/items/1").Allowed);
        Assert.False(AuthorizationEvaluator.Evaluate(config, Ops, "GET", "/items").Allowed);
    }

    [Fact]
    public void Evaluate_NoIdentity_NeverMatchesIdentityOrNamespaceRules()
    {
        var config = Policies(false, Policy("shop/any-peer", AuthorizationAction.Allow, new AuthorizationRuleConfig { Identities = ["*"] }));

        Assert.True(AuthorizationEvaluator.Evaluate(config, Ops, "GET", "/").Allowed);
        Assert.False(AuthorizationEvaluator.Evaluate(config, null, "GET", "/").Allowed);
        Assert.False(AuthorizationEvaluator.Evaluate(config, "CN=not-a-spiffe-id", "GET", "/").Allowed);
    }

    [Fact]
    public void Evaluate_NoPolicies_DefaultDenyDecides()
    {
        Assert.True(AuthorizationEvaluator.Evaluate(null, null, "GET", "/").Allowed);
        Assert.True(AuthorizationEvaluator.Evaluate(Policies(false), null, "GET", "/").Allowed);
        Assert.Equal(new AuthorizationDecision(false, "default-deny"), AuthorizationEvaluator.Evaluate(Policies(true), Web, "GET", "/"));
        var onlyDeny = Policies(false, Policy("shop/no-delete", AuthorizationAction.Deny, new AuthorizationRuleConfig { Methods = ["DELETE"] }));
        Assert.True(AuthorizationEvaluator.Evaluate(onlyDeny, Web, "GET", "/").Allowed);
        Assert.False(AuthorizationEvaluator.Evaluate(onlyDeny, Web, "delete", "/").Allowed);
    }
}
