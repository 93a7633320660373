using System.Diagnostics;

namespace Mesh.Demo.Tracing;

/// <summary>
/// Puts the current request's trace context on every upstream call: our client span's when the SDK is on,
/// else the context the request arrived with, unchanged.
/// </summary>
internal sealed class TraceContextHandler(DemoTelemetry telemetry) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var incoming = TraceHeaders.Current;
        using var span = telemetry.Enabled
            ? telemetry.Source.StartActivity($"{request.Method} {request.Headers.Host}", ActivityKind.Client)
            : null;

        request.Headers.Remove(TraceHeaders.TraceparentHeader);
        request.Headers.Remove(TraceHeaders.TracestateHeader);
        var traceparent = span is not null ? TraceContextMiddleware.Format(span.Context) : incoming?.Traceparent;
        var tracestate = span is not null ? span.TraceStateString : incoming?.Tracestate;
        if (traceparent is not null)
        {
            request.Headers.TryAddWithoutValidation(TraceHeaders.TraceparentHeader, traceparent);
        }

        if (!string.IsNullOrEmpty(tracestate))
        {
            request.Headers.TryAddWithoutValidation(TraceHeaders.TracestateHeader, tracestate);
        }

        if (span is null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        span.SetTag("server.address", request.Headers.Host);
        span.SetTag("http.request.method", request.Method.Method);
        span.SetTag("url.path", request.RequestUri?.AbsolutePath);
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            span.SetTag("http.response.status_code", (int)response.StatusCode);
            if ((int)response.StatusCode >= 500)
            {
                span.SetStatus(ActivityStatusCode.Error, $"HTTP {(int)response.StatusCode}");
            }

            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            span.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }
}
