using System.Diagnostics;
using System.Runtime.CompilerServices;
using Mesh.Proxy.Admin;
using Mesh.Proxy.Config;
using Mesh.Proxy.Telemetry;

namespace Mesh.Proxy.Pipeline;

/// <summary>
/// Outermost stage: it must see every request, including the ones inner stages answer locally, so that each
/// one yields exactly one span, one access log and one RED sample. Continues or starts the W3C trace.
/// </summary>
internal sealed class TelemetryStage : IProxyStage
{
    private readonly ITelemetrySink _sink;
    private readonly ProxyCounters _counters;
    private readonly ProxyEnvironment _env;

    public TelemetryStage(ITelemetrySink sink, ProxyCounters counters, ProxyEnvironment env)
    {
        _sink = sink;
        _counters = counters;
        _env = env;
    }

    // Pooled state machine: no allocation per request when the stage awaits asynchronously.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask InvokeAsync(ProxyContext context, StageDelegate next)
    {
        var telemetry = context.Snapshot.Config.Telemetry;
        var headers = context.Http.Request.Headers;
        context.Trace = TraceContext.From(headers.TryGetValue("traceparent", out var tp) ? tp.ToString() : null, telemetry.Sampling, _env.Random);
        var startUnixNano = (_env.Time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        _counters.RequestStarted();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            _counters.RequestFinished();
            Finish(context, startUnixNano);
        }
    }

    private void Finish(ProxyContext context, long startUnixNano)
    {
        var elapsed = _env.Time.GetElapsedTime(context.StartTimestamp);
        var status = context.Http.Response.StatusCode;
        _counters.Route(context.Route?.Name ?? "", context.Destination?.Cluster.Name ?? "").Record(status, elapsed.TotalMilliseconds);
        _counters.DownstreamBytesIn.Add(context.RequestBytes);
        _counters.DownstreamBytesOut.Add(context.ResponseBytes);

        var telemetry = context.Snapshot.Config.Telemetry;
        if ((!telemetry.Spans || !context.Trace.Sampled) && !telemetry.AccessLogs)
        {
            return;
        }

        var self = context.Snapshot.Config.Service;
        var mode = context.Listener.Mode;
        var inbound = mode == ListenerMode.Inbound;
        var cluster = context.Destination?.Cluster;
        var request = context.Http.Request;

        // Outbound toward a cluster with a mesh identity, every connection is mTLS with that verified identity: a
        // request that reached an endpoint went over it (the peer was checked at the handshake).
        var upstreamIdentity = !inbound && context.Attempts > 0 && (context.Flags & ResponseFlags.ConnectFailure) == 0
            ? cluster?.Config.Identity
            : null;
        _sink.Submit(new RequestRecord
        {
            TraceId = context.Trace.TraceId,
            SpanId = context.Trace.SpanId,
            ParentSpanId = context.Trace.ParentSpanId,
            Sampled = context.Trace.Sampled,
            Client = mode == ListenerMode.Outbound,
            Direction = mode switch { ListenerMode.Inbound => "inbound", ListenerMode.Outbound => "outbound", _ => "ingress" },
            StartUnixNano = startUnixNano,
            EndUnixNano = startUnixNano + (elapsed.Ticks * 100),
            Method = request.Method,
            Path = request.Path.Value ?? "/",
            HttpRoute = context.Route?.HttpRoute,
            Route = context.Route?.Name,
            Status = status,
            GrpcStatus = context.GrpcStatus,
            SourceService = inbound ? context.PeerIdentity ?? "unknown" : self.Name,
            SourceVersion = inbound ? null : self.Version,
            SourceNamespace = inbound ? null : self.Namespace,
            DestinationService = inbound ? self.Name : cluster?.Service,
            DestinationVersion = inbound ? self.Version : context.Endpoint?.Config.Version ?? context.Destination?.Subset,
            DestinationNamespace = inbound ? self.Namespace : cluster?.Config.Namespace,
            DestinationEndpoint = context.Endpoint?.Key,
            RequestBytes = context.RequestBytes,
            ResponseBytes = context.ResponseBytes,
            Attempts = context.Attempts,
            UpstreamLatencyMs = context.UpstreamLatencyMs,
            FaultInjected = context.FaultInjected,
            EndpointEjected = context.EndpointEjected,
            Mtls = (context.PeerIdentity ?? upstreamIdentity) is not null,
            PeerIdentity = context.PeerIdentity ?? upstreamIdentity,
            AuthzPolicy = context.AuthzPolicy,
            ResponseFlags = context.Flags == ResponseFlags.None ? null : ResponseFlagsText.Format(context.Flags),
            Error = context.Error,
            Protocol = request.Protocol,
        });
    }
}
