using System.Globalization;
using Mesh.Proxy.Admin;
using Mesh.Proxy.Forwarding;
using Microsoft.AspNetCore.Http;

namespace Mesh.Proxy.Pipeline;

/// <summary>
/// Local token-bucket limits, per route or per source identity. Runs before faults and forwarding so a shed
/// request costs almost nothing; answers 429 with Retry-After so well-behaved clients back off.
/// </summary>
internal sealed class RateLimitStage : IProxyStage
{
    private readonly ProxyCounters _counters;

    public RateLimitStage(ProxyCounters counters) => _counters = counters;

    public ValueTask InvokeAsync(ProxyContext context, StageDelegate next)
    {
        if (context.Route!.RateLimiter is not { } limiter)
        {
            return next(context);
        }

        var source = limiter.Config.PerSource
            ? context.PeerIdentity
                ?? (context.Http.Request.Headers.TryGetValue(limiter.Config.SourceHeader, out var h) ? h.ToString() : null)
                ?? ForwardedHeaders.Normalize(context.Http.Connection.RemoteIpAddress)?.ToString()
            : null;
        context.SourceIdentity = source;
        if (limiter.TryAcquire(source, out var retryAfter))
        {
            return next(context);
        }

        _counters.RateLimited.Increment();
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return new ValueTask(LocalReply.WriteAsync(context, StatusCodes.Status429TooManyRequests, "rate-limited", ResponseFlags.RateLimited,
            $"mesh: rate limit of route '{context.Route.Name}' exceeded; retry after {seconds}s"));
    }
}
