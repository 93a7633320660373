namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>One compiled policy: <see cref="Name"/> is <c>namespace/name</c>, for the span and log of a denied request.</summary>
public sealed record AuthorizationPolicyView(string Name, string Action, IReadOnlyList<AuthorizationRuleView> Rules);
