using Mesh.Demo.Hosting;

namespace Mesh.Demo.Faults;

/// <summary>
/// Applies the faults in force to a service endpoint: waits the injected latency, then fails the configured
/// share of requests with the configured status (marked <c>x-mesh-demo-fault</c> so a test can tell it apart).
/// Never touches <c>/_demo</c> or <c>/healthz</c>: an operator must always be able to clear a fault.
/// </summary>
internal sealed class FaultMiddleware(RequestDelegate next, FaultRegistry faults, TimeProvider time)
{
    public const string FaultHeader = "x-mesh-demo-fault";

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var rule = path.StartsWith("/_demo", StringComparison.OrdinalIgnoreCase) || path.Equals("/healthz", StringComparison.OrdinalIgnoreCase)
            ? null
            : faults.Match(context.Request.Method, path);
        if (rule is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (rule.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(rule.LatencyMs), time, context.RequestAborted).ConfigureAwait(false);
        }

        if (rule.ErrorRate > 0 && Random.Shared.NextDouble() < rule.ErrorRate)
        {
            context.Response.StatusCode = rule.ErrorStatus;
            context.Response.Headers[FaultHeader] = "error";
            await context.Response.WriteAsJsonAsync(new ErrorBody($"injected fault on {rule.Endpoint}"), DemoJson.Options, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (rule.LatencyMs > 0)
        {
            context.Response.Headers[FaultHeader] = "latency";
        }

        await next(context).ConfigureAwait(false);
    }
}
