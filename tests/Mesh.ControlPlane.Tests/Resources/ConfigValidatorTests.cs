using Mesh.ControlPlane.Resources;
using Xunit;

namespace Mesh.ControlPlane.Tests.Resources;

public sealed class ConfigValidatorTests
{
    [Fact]
    public void Validate_ValidSet_NoErrors()
    {
        var set = ConfigSet.From(0, ResourceParser.Parse(Yaml.Shop + "\n---\n" + Yaml.Route(90, 10) + "\n---\n" + Yaml.Policy));

        Assert.Empty(ConfigValidator.Validate(set));
    }

    [Fact]
    public void Validate_SplitNotHundred_NamesRouteAndField()
    {
        var set = ConfigSet.From(0, ResourceParser.Parse(Yaml.Shop + "\n---\n" + Yaml.Route(80, 10)));

        var error = Assert.Single(ConfigValidator.Validate(set));

        Assert.Equal("Route/shop/cart spec.routes[0].split: weights sum to 90, expected 100", error.ToString());
    }

    [Fact]
    public void Validate_EveryErrorCollected_WithReferences()
    {
        var set = ConfigSet.From(0, ResourceParser.Parse("""
            kind: Route
            metadata: {name: r, namespace: shop}
            spec:
              service: nowhere
              routes:
                - retry: {attempts: 0}
                  fault: {abort: {status: 999, percent: 150}}
                  match: {methods: [get]}
            ---
            kind: AuthorizationPolicy
            metadata: {name: p, namespace: shop}
            spec: {action: MAYBE, rules: [{paths: [api], identities: [web]}]}
            """));

        var errors = ConfigValidator.Validate(set).Select(e => e.ToString()).ToList();

        Assert.Contains("Route/shop/r spec.service: service 'nowhere' does not exist in namespace 'shop'", errors);
        Assert.Contains("Route/shop/r spec.routes[0].retry.attempts: 0 is outside 1-10", errors);
        Assert.Contains("Route/shop/r spec.routes[0].fault.abort.status: 999 is not an HTTP status (200-599)", errors);
        Assert.Contains("Route/shop/r spec.routes[0].fault.abort.percent: 150 is outside 0-100", errors);
        Assert.Contains("Route/shop/r spec.routes[0].match.methods[0]: 'get' is not an HTTP method (uppercase)", errors);
        Assert.Contains("AuthorizationPolicy/shop/p spec.action: 'MAYBE' is not one of ALLOW, DENY", errors);
        Assert.Contains("AuthorizationPolicy/shop/p spec.rules[0].paths[0]: 'api' must start with '/'", errors);
        Assert.Contains(errors, e => e.StartsWith("AuthorizationPolicy/shop/p spec.rules[0].identities[0]: 'web' is not a SPIFFE id", StringComparison.Ordinal));
    }
}
