using System.Diagnostics;
using Microsoft.AspNetCore.Routing;

namespace Mesh.Demo.Tracing;

/// <summary>
/// Takes the W3C trace context off each request so the calls it makes carry the same trace. Done by hand
/// rather than left to ASP.NET Core's and HttpClient's Activity propagation: without an exporter the hosting
/// Activity is never exported, and forwarding its span id would leave the next hop pointing at a parent no store
/// ever sees. So without <c>--otlp</c> the context passes through unchanged (as the W3C spec asks of an
/// intermediary that does not record), and with it our own server span becomes the parent.
/// </summary>
internal sealed class TraceContextMiddleware(RequestDelegate next, DemoTelemetry telemetry)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var traceparent = context.Request.Headers[TraceHeaders.TraceparentHeader].ToString();
        var tracestate = context.Request.Headers[TraceHeaders.TracestateHeader].ToString();
        var hasParent = ActivityContext.TryParse(traceparent, tracestate.Length == 0 ? null : tracestate, isRemote: true, out var parent);

        Activity? span = null;
        if (telemetry.Enabled)
        {
            // The hosting Activity is not ours and is never exported: keep it out of our span's ancestry.
            Activity.Current = null;
            span = telemetry.Source.StartActivity(SpanName(context), ActivityKind.Server, hasParent ? parent : default);
        }

        TraceHeaders.Current = span is not null
            ? new TraceHeaders(Format(span.Context), span.TraceStateString)
            : hasParent
                ? new TraceHeaders(traceparent, tracestate.Length == 0 ? null : tracestate)
                : new TraceHeaders(Format(new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded)), null);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            if (span is not null)
            {
                span.SetTag("http.request.method", context.Request.Method);
                span.SetTag("url.path", context.Request.Path.Value);
                span.SetTag("http.response.status_code", context.Response.StatusCode);
                if ((context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } route)
                {
                    span.SetTag("http.route", route);
                }

                if (context.Response.StatusCode >= 500)
                {
                    span.SetStatus(ActivityStatusCode.Error, $"HTTP {context.Response.StatusCode}");
                }

                span.Dispose();
            }

            TraceHeaders.Current = null;
        }
    }

    internal static string Format(ActivityContext context) =>
        $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{((context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00")}";

    private static string SpanName(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } route
            ? $"{context.Request.Method} {route}"
            : context.Request.Method;
}
