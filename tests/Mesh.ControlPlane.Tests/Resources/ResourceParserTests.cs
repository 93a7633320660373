using Mesh.ControlPlane.Resources;
using Xunit;

namespace Mesh.ControlPlane.Tests.Resources;

public sealed class ResourceParserTests
{
    [Fact]
    public void Parse_YamlAndJson_GiveTheSameResources()
    {
        var yaml = ResourceParser.Parse(Yaml.Shop);
        var json = ResourceParser.Parse("""
            [{"kind":"Namespace","metadata":{"name":"shop","namespace":"shop"},"spec":{"mtls":"STRICT","defaultDeny":true}},
             {"kind":"Service","metadata":{"name":"cart","namespace":"shop","labels":{"team":"checkout"}},"spec":{"ports":[{"name":"http","port":8080}]}},
             {"kind":"Service","metadata":{"name":"web","namespace":"shop"},"spec":{"ports":[{"port":80}]}}]
            """);

        Assert.Equal(yaml.Select(r => r.Document.ToJsonString()), json.Select(r => r.Document.ToJsonString()));
        Assert.Equal("checkout", yaml[1].Labels["team"]);
    }

    [Theory]
    [InlineData("kind: Service\nmetadata: {name: cart}\nspec: {portz: []}", "Service/default/cart spec.portz: unknown field")]
    [InlineData("kind: Gadget\nmetadata: {name: x}", "documents[0] kind: 'Gadget' is not a resource kind")]
    [InlineData("kind: Service\nmetadata: {name: Cart_1}", "metadata.name: 'Cart_1' is not a DNS label")]
    [InlineData("kind: Route\nmetadata: {name: r}\nspec: {service: s, routes: [{timeout: soon}]}", "spec.routes[0].timeout: expected a duration")]
    [InlineData("kind: Route\nmetadata: {name: r}\nspec: {service: s, loadBalancer: fastest}", "spec.loadBalancer: has the wrong type or an unknown value")]
    [InlineData("kind: Service\nmetadata: {name: a}\n  bad: [", "invalid YAML at line")]
    public void Parse_BadDocument_NamesTheField(string text, string expected)
    {
        var ex = Assert.Throws<ResourceValidationException>(() => ResourceParser.Parse(text));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
