using Mesh.ControlPlane.Resources;

namespace Mesh.ControlPlane.Access;

/// <summary>
/// What a proxy token may act for: one workload (<c>shop/cart</c>) or every service of a namespace (<c>shop/*</c>).
/// Like a Kubernetes service-account token in Istio or Linkerd, it is what binds a certificate request, an endpoint
/// registration or a watch to the identity the caller is entitled to.
/// </summary>
public sealed record TokenScope(string Namespace, string? Service)
{
    /// <summary>Parses <c>namespace/service</c> or <c>namespace/*</c>; adds an error naming the field when it is neither.</summary>
    public static TokenScope? Parse(string? text, List<ResourceError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var parts = (text ?? "").Split('/');
        if (parts.Length != 2 || !Names.IsValid(parts[0]) || (parts[1] != "*" && !Names.IsValid(parts[1])))
        {
            errors.Add(new ResourceError("token", "scope", $"'{text}' is not a scope: use 'namespace/service' or 'namespace/*' (DNS labels)"));
            return null;
        }

        return new TokenScope(parts[0], parts[1] == "*" ? null : parts[1]);
    }

    /// <summary>Parses a stored scope (already validated when the token was created); null for an unscoped token.</summary>
    public static TokenScope? FromStored(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 ? null : new TokenScope(text[..slash], text[(slash + 1)..] is "*" ? null : text[(slash + 1)..]);
    }

    public bool Covers(string ns, string service) =>
        string.Equals(ns, Namespace, StringComparison.Ordinal) && (Service is null || string.Equals(service, Service, StringComparison.Ordinal));

    public override string ToString() => $"{Namespace}/{Service ?? "*"}";
}
