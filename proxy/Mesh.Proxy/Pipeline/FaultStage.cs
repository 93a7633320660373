using Mesh.Proxy.Admin;

namespace Mesh.Proxy.Pipeline;

/// <summary>
/// Fault injection (chaos testing): delays and/or aborts a percentage of matching requests before they reach the
/// upstream, so callers' timeouts and retries can be exercised in a live mesh.
/// </summary>
internal sealed class FaultStage : IProxyStage
{
    private readonly ProxyCounters _counters;
    private readonly ProxyEnvironment _env;

    public FaultStage(ProxyCounters counters, ProxyEnvironment env)
    {
        _counters = counters;
        _env = env;
    }

    public ValueTask InvokeAsync(ProxyContext context, StageDelegate next)
    {
        var route = context.Route!;
        if (route.Config.Fault is not { } fault || !HeadersMatch(context))
        {
            return next(context);
        }

        var delay = fault.Delay is { } d && Roll(d.Percent) ? d.Duration : (TimeSpan?)null;
        var abort = fault.Abort is { } a && Roll(a.Percent) ? a.Status : (int?)null;
        if (delay is null && abort is null)
        {
            return next(context);
        }

        return Inject(context, next, delay, abort);
    }

    private async ValueTask Inject(ProxyContext context, StageDelegate next, TimeSpan? delay, int? abort)
    {
        if (delay is { } wait)
        {
            _counters.FaultDelays.Increment();
            context.Flags |= ResponseFlags.FaultDelay;
            context.FaultInjected = "delay";
            await Task.Delay(wait, _env.Time, context.Http.RequestAborted).ConfigureAwait(false);
        }

        if (abort is { } status)
        {
            _counters.FaultAborts.Increment();
            context.FaultInjected = context.FaultInjected is null ? "abort" : "delay,abort";
            await LocalReply.WriteAsync(context, status, "fault-abort", ResponseFlags.FaultAbort, $"mesh: fault injected by route '{context.Route!.Name}'").ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private bool Roll(double percent) => percent >= 100 || (percent > 0 && _env.Random.NextDouble() * 100 < percent);

    private static bool HeadersMatch(ProxyContext context)
    {
        foreach (var m in context.Route!.FaultHeaders)
        {
            var values = context.Http.Request.Headers[m.Name];
            if (!m.Matches(values.Count == 0 ? null : values.ToString()))
            {
                return false;
            }
        }

        return true;
    }
}
