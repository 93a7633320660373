using Mesh.Proxy.Admin;
using Mesh.Proxy.Authorization;
using Mesh.Proxy.Config;
using Microsoft.AspNetCore.Http;

namespace Mesh.Proxy.Pipeline;

/// <summary>
/// Enforces the snapshot's authorization policies on inbound listeners, with the caller's verified mTLS identity,
/// the path and the method. A refusal is a local 403 naming the policy (body, <c>x-mesh-authz-policy</c>, and
/// <c>mesh.authz.policy</c> on the span and access log).
/// </summary>
internal sealed class AuthorizationStage(ProxyCounters counters) : IProxyStage
{
    public const string PolicyHeader = "x-mesh-authz-policy";

    public ValueTask InvokeAsync(ProxyContext context, StageDelegate next)
    {
        if (context.Listener.Mode != ListenerMode.Inbound)
        {
            return next(context);
        }

        var request = context.Http.Request;
        var path = request.Path.Value ?? "/";
        var decision = AuthorizationEvaluator.Evaluate(context.Snapshot.Config.Authorization, context.PeerIdentity, request.Method, path);
        if (decision.Allowed)
        {
            return next(context);
        }

        counters.AuthzDenied.Increment();
        context.AuthzPolicy = decision.Policy;
        context.Http.Response.Headers[PolicyHeader] = decision.Policy;
        var who = context.PeerIdentity ?? "a caller without a mesh identity";
        var why = decision.Policy == AuthorizationDecision.DefaultDeny
            ? "no ALLOW policy matches (default-deny)"
            : $"policy {decision.Policy} denies it";
        return new ValueTask(LocalReply.WriteAsync(context, StatusCodes.Status403Forbidden, "authz-denied", ResponseFlags.AuthzDenied,
            $"mesh: {request.Method} {path} from {who} is not authorized: {why}"));
    }
}
