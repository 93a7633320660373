using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using Mesh.Proxy.Admin;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Resilience;
using Mesh.Proxy.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mesh.Proxy.Pipeline;

/// <summary>
/// Terminal stage: tries, each with a fresh balancer pick (a retry should land elsewhere), per-try and route
/// timeouts, backoff with jitter between tries under the route's retry budget; then streams the chosen response
/// down. Every try's result feeds passive health (outlier detection) and the endpoint's latency estimate.
/// </summary>
internal sealed partial class ForwardStage : IProxyStage
{
    private readonly ProxyCounters _counters;
    private readonly ProxyEnvironment _env;

    public ForwardStage(ProxyCounters counters, ProxyEnvironment env)
    {
        _counters = counters;
        _env = env;
    }

    public async ValueTask InvokeAsync(ProxyContext context, StageDelegate next)
    {
        var route = context.Route!;
        var destination = context.Destination!;
        var policy = route.Config.Retry;
        var maxTries = policy?.Attempts ?? 1;
        var upgrade = context.Http.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true;
        route.Budget?.OnRequest();

        using var routeTimeout = route.Config.Timeout is { } t && !upgrade ? new CancellationTokenSource(t, _env.Time) : null;
        using var linked = routeTimeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(routeTimeout.Token, context.Http.RequestAborted);
        context.Aborted = linked?.Token ?? context.Http.RequestAborted;

        HttpResponseMessage? response = null;
        var failure = TryFailure.None;
        for (var attempt = 1; ; attempt++)
        {
            context.Attempts = attempt;
            (response, failure) = await TryOnceAsync(context, destination, upgrade).ConfigureAwait(false);
            var status = response is null ? 0 : (int)response.StatusCode;
            if (failure is TryFailure.ClientGone or TryFailure.RouteTimeout || policy is null || attempt >= maxTries
                || !RetryDecision.Retriable(policy, status, failure, response))
            {
                break;
            }

            if (!context.Body.Replayable || upgrade)
            {
                break;
            }

            if (!route.Budget!.TryRetry())
            {
                _counters.RetryBudgetExhausted.Increment();
                context.Flags |= ResponseFlags.RetryExhausted;
                break;
            }

            _counters.Retries.Increment();
            response?.Dispose();
            response = null;
            try
            {
                await Task.Delay(Backoff.Delay(attempt, policy.BackoffBase, policy.BackoffMax, _env.Random), _env.Time, context.Aborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                failure = context.Http.RequestAborted.IsCancellationRequested ? TryFailure.ClientGone : TryFailure.RouteTimeout;
                break;
            }
        }

        if (policy is not null && context.Attempts >= maxTries && maxTries > 1 && (response is null || (int)response.StatusCode >= 500))
        {
            context.Flags |= ResponseFlags.RetryExhausted;
        }

        if (response is null)
        {
            await ReplyFailureAsync(context, failure).ConfigureAwait(false);
            return;
        }

        using (response)
        {
            await RelayAsync(context, response, upgrade).ConfigureAwait(false);
        }
    }

    private async Task<(HttpResponseMessage? Response, TryFailure Failure)> TryOnceAsync(ProxyContext context, Destination destination, bool upgrade)
    {
        var cluster = destination.Cluster;
        var now = _env.Time.GetUtcNow().UtcTicks;
        var endpoint = destination.Balancer.Pick(destination.Endpoints, now, out var panic);
        if (panic)
        {
            _counters.PanicPicks.Increment();
            context.EndpointEjected = true;
            context.Flags |= ResponseFlags.NoHealthyUpstream;
        }

        context.Endpoint = endpoint;
        var perTry = context.Route!.Config.Retry?.PerTryTimeout;
        using var tryTimeout = perTry is { } pt && !upgrade ? new CancellationTokenSource(pt, _env.Time) : null;
        using var linked = tryTimeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(tryTimeout.Token, context.Aborted);
        var token = linked?.Token ?? context.Aborted;

        using var message = UpstreamRequest.Create(context.Http, endpoint, cluster.Config, context.Body, context.Trace.ToTraceparent(), context.Route.Config.RequestHeaders, upgrade);
        var started = _env.Time.GetTimestamp();
        endpoint.Start();
        HttpResponseMessage? response = null;
        var failure = TryFailure.None;
        try
        {
            response = await cluster.Invoker.SendAsync(message, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            failure = context.Http.RequestAborted.IsCancellationRequested ? TryFailure.ClientGone
                : tryTimeout?.IsCancellationRequested == true && !context.Aborted.IsCancellationRequested ? TryFailure.PerTryTimeout
                : TryFailure.RouteTimeout;
        }
        catch (HttpRequestException ex)
        {
            failure = ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError
                ? TryFailure.ConnectFailure
                : TryFailure.Reset;
            context.Error = ex.Message;
        }
        finally
        {
            endpoint.Finish();
        }

        var latencyMs = _env.Time.GetElapsedTime(started).TotalMilliseconds;
        context.UpstreamLatencyMs = latencyMs;
        endpoint.ObserveLatency(latencyMs, _env.Time.GetUtcNow().UtcTicks);
        var status = response is null ? 0 : (int)response.StatusCode;
        cluster.Outliers?.OnResult(endpoint, RetryDecision.Outcome(status, failure), latencyMs);
        switch (failure)
        {
            case TryFailure.ConnectFailure:
                _counters.ConnectFailures.Increment();
                break;
            case TryFailure.Reset:
                _counters.UpstreamResets.Increment();
                break;
            case TryFailure.PerTryTimeout or TryFailure.RouteTimeout:
                _counters.UpstreamTimeouts.Increment();
                break;
        }

        return (response, failure);
    }

    private static Task ReplyFailureAsync(ProxyContext context, TryFailure failure)
    {
        var cluster = context.Destination!.Cluster.Name;
        return failure switch
        {
            TryFailure.ClientGone => Task.CompletedTask,
            TryFailure.PerTryTimeout or TryFailure.RouteTimeout => LocalReply.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "upstream-timeout",
                ResponseFlags.UpstreamTimeout, $"mesh: upstream '{cluster}' did not answer in time"),
            TryFailure.ConnectFailure => LocalReply.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "upstream-connect-failure",
                ResponseFlags.ConnectFailure, $"mesh: cannot connect to upstream '{cluster}' ({context.Endpoint?.Key}): {context.Error}"),
            _ => LocalReply.WriteAsync(context, StatusCodes.Status502BadGateway, "upstream-reset",
                ResponseFlags.UpstreamReset, $"mesh: upstream '{cluster}' closed the connection ({context.Endpoint?.Key})"),
        };
    }

    private static async Task RelayAsync(ProxyContext context, HttpResponseMessage response, bool upgrade)
    {
        var http = context.Http;
        DownstreamResponse.CopyHead(http, response, context.Route!.Config.ResponseHeaders);
        context.GrpcStatus = RetryDecision.GrpcStatus(response);
        if (upgrade && response.StatusCode == System.Net.HttpStatusCode.SwitchingProtocols)
        {
            await TunnelAsync(context, response).ConfigureAwait(false);
            return;
        }

        try
        {
            var body = await response.Content.ReadAsStreamAsync(context.Aborted).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                context.ResponseBytes = await DownstreamResponse.CopyBodyAsync(http, body, context.Aborted).ConfigureAwait(false);
            }

            DownstreamResponse.CopyTrailers(http, response);
            if (context.GrpcStatus is null && response.TrailingHeaders.NonValidated.TryGetValues("grpc-status", out var trailer)
                && int.TryParse(trailer.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
            {
                context.GrpcStatus = code;
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            // Headers are gone already: the only honest signal left is to abort the downstream stream/connection.
            context.Flags |= context.Aborted.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested
                ? ResponseFlags.UpstreamTimeout
                : ResponseFlags.UpstreamReset;
            context.Error ??= $"response body failed: {ex.Message}";
            http.Abort();
        }
    }
}
