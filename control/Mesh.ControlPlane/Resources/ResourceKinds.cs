namespace Mesh.ControlPlane.Resources;

/// <summary>The resource kinds the control plane accepts, with the short names the CLI uses.</summary>
internal static class ResourceKinds
{
    public const string Namespace = "Namespace";
    public const string Service = "Service";
    public const string Endpoint = "Endpoint";
    public const string Route = "Route";
    public const string AuthorizationPolicy = "AuthorizationPolicy";

    public static readonly string[] All = [Namespace, Service, Endpoint, Route, AuthorizationPolicy];

    /// <summary>Maps what a user types (<c>routes</c>, <c>policy</c>, <c>svc</c>) to a kind, or null.</summary>
    public static string? Resolve(string name) => name.ToUpperInvariant() switch
    {
        "NAMESPACE" or "NAMESPACES" or "NS" => Namespace,
        "SERVICE" or "SERVICES" or "SVC" => Service,
        "ENDPOINT" or "ENDPOINTS" or "EP" => Endpoint,
        "ROUTE" or "ROUTES" => Route,
        "AUTHORIZATIONPOLICY" or "AUTHORIZATIONPOLICIES" or "POLICY" or "POLICIES" => AuthorizationPolicy,
        _ => null,
    };
}
