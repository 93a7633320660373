using Mesh.Proxy.Admin;
using Mesh.Proxy.Forwarding;

namespace Mesh.Proxy.Pipeline;

/// <summary>
/// Traffic shadowing: a percentage of requests is also sent, fire-and-forget, to the mirror cluster (Host gets
/// "-shadow" like Envoy's, so the copy is recognizable); its response is discarded and it never delays the
/// real request. A streamed (unbuffered) body cannot be read twice, so such requests are not mirrored (counted).
/// </summary>
internal sealed class MirrorStage : IProxyStage
{
    private readonly ProxyCounters _counters;
    private readonly ProxyEnvironment _env;

    public MirrorStage(ProxyCounters counters, ProxyEnvironment env)
    {
        _counters = counters;
        _env = env;
    }

    public ValueTask InvokeAsync(ProxyContext context, StageDelegate next)
    {
        var route = context.Route!;
        if (route.Mirror is { } cluster && route.Config.Mirror is { } config
            && (config.Percent >= 100 || _env.Random.NextDouble() * 100 < config.Percent))
        {
            if (context.Body.CopyForMirror() is { } body)
            {
                var destination = cluster.Subset(null, 100);
                var endpoint = destination.Balancer.Pick(destination.Endpoints, _env.Time.GetUtcNow().UtcTicks, out _);
                var message = UpstreamRequest.Create(context.Http, endpoint, cluster.Config, body, context.Trace.ToTraceparent(), route.Config.RequestHeaders, upgrade: false);
                if (message.Headers.Host is { } host)
                {
                    message.Headers.Host = host.Contains(':', StringComparison.Ordinal) ? host.Insert(host.IndexOf(':', StringComparison.Ordinal), "-shadow") : host + "-shadow";
                }

                _ = SendAsync(cluster.Invoker, message, cluster.Config.ConnectTimeout + TimeSpan.FromSeconds(10));
            }
            else
            {
                _counters.MirrorSkippedBody.Increment();
            }
        }

        return next(context);
    }

    private async Task SendAsync(HttpMessageInvoker invoker, HttpRequestMessage message, TimeSpan timeout)
    {
        try
        {
            using var cts = new CancellationTokenSource(timeout, _env.Time);
            using var response = await invoker.SendAsync(message, cts.Token).ConfigureAwait(false);
            _counters.Mirrored.Increment();
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            _counters.MirrorFailures.Increment();
        }
        finally
        {
            message.Dispose();
        }
    }
}
