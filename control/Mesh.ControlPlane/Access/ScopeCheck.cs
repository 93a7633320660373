namespace Mesh.ControlPlane.Access;

/// <summary>Refuses a call acting for <c>namespace/service</c> unless the caller's token covers it.</summary>
internal static class ScopeCheck
{
    /// <summary>
    /// Proxy tokens must cover the workload; roles above proxy (admin) act for any. Throws
    /// <see cref="ScopeRefusedException"/> with a message naming the token, its scope and what was asked.
    /// </summary>
    public static void Require(Caller caller, string ns, string service, string asked)
    {
        if (caller.Role != Roles.Proxy)
        {
            return;
        }

        if (caller.Scope is null)
        {
            throw new ScopeRefusedException(
                $"token '{caller.Name}' has no scope, so it cannot act for {asked}: create a proxy token with scope '{ns}/{service}' or '{ns}/*'");
        }

        if (!caller.Scope.Covers(ns, service))
        {
            throw new ScopeRefusedException(
                $"token '{caller.Name}' is scoped to '{caller.Scope}' and cannot act for {asked} (namespace '{ns}', service '{service}')");
        }
    }
}
