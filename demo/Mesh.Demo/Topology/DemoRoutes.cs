namespace Mesh.Demo.Topology;

/// <summary>
/// The route templates each demo service maps, so whoever fronts it (a sidecar's inbound routes) can name
/// requests by template (<c>http.route</c> = <c>/products/{sku}</c>) rather than by concrete path.
/// Kept beside <see cref="DemoTopology"/>: a route added to a service belongs here too.
/// </summary>
public static class DemoRoutes
{
    private static readonly Dictionary<string, string[]> Templates = new(StringComparer.Ordinal)
    {
        ["frontend"] = ["/", "/api/products", "/api/products/{sku}", "/api/login", "/api/cart", "/api/cart/items", "/api/checkout"],
        ["auth"] = ["/login", "/verify"],
        ["catalog"] = ["/products", "/products/{sku}"],
        ["cart"] = ["/carts/{userId}", "/carts/{userId}/items", "/carts/{userId}/checkout"],
        ["inventory"] = ["/stock", "/stock/{sku}", "/reservations", "/reservations/{id}"],
        ["payment"] = ["/payments"],
        ["shipping"] = ["/shipments", "/quotes"],
    };

    /// <summary>Path templates of <paramref name="service"/> (empty for an unknown service).</summary>
    public static IReadOnlyList<string> Of(string service) => Templates.TryGetValue(service, out var t) ? t : [];

    /// <summary>A whole-path regular expression for a template: each <c>{name}</c> matches one path segment.</summary>
    public static string ToRegex(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var parts = template.Split('/');
        return string.Join('/', parts.Select(p => p.StartsWith('{') && p.EndsWith('}') ? "[^/]+" : System.Text.RegularExpressions.Regex.Escape(p)));
    }
}
