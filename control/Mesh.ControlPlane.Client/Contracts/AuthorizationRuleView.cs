namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>Every non-empty list must match; entries ending in <c>*</c> match by prefix, <c>*</c> alone matches anything.</summary>
public sealed record AuthorizationRuleView(
    IReadOnlyList<string> Identities,
    IReadOnlyList<string> Namespaces,
    IReadOnlyList<string> Paths,
    IReadOnlyList<string> Methods);
