using System.Collections.Concurrent;
using System.Net;

namespace Mesh.Demo.Tests.Fixtures;

/// <summary>
/// Stands in for the outbound sidecars in tests: forwards each request to a backend chosen by its Host header
/// (round robin among a service's instances), headers and body untouched, and records what it forwarded.
/// </summary>
public sealed class HostRouter : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int[]> _routes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _turns = new(StringComparer.OrdinalIgnoreCase);
    private readonly HttpClient _client = new(new SocketsHttpHandler { ActivityHeadersPropagator = null, AllowAutoRedirect = false });
    private readonly WebApplication _app;

    public HostRouter()
    {
        (_app, Port) = LoopbackApp.Create();
        _app.Run(ForwardAsync);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public ConcurrentQueue<RoutedRequest> Requests { get; } = new();

    public void Route(string service, params int[] ports) => _routes[service] = ports;

    public Task StartAsync() => _app.StartAsync();

    private async Task ForwardAsync(HttpContext context)
    {
        var host = context.Request.Host.Host;
        if (!_routes.TryGetValue(host, out var ports) || ports.Length == 0)
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync($"router: no route for host '{host}'");
            return;
        }

        var turn = _turns.AddOrUpdate(host, 0, (_, n) => n + 1);
        var port = ports[turn % ports.Length];
        Requests.Enqueue(new RoutedRequest(
            host, context.Request.Method, context.Request.Path.Value ?? "/",
            context.Request.Headers["traceparent"].ToString(), context.Request.Headers["tracestate"].ToString()));

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), $"http://127.0.0.1:{port}{context.Request.Path}{context.Request.QueryString}");
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (body.Length > 0)
        {
            request.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await _client.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _client.Dispose();
    }
}

/// <summary>One request the router forwarded.</summary>
public sealed record RoutedRequest(string Service, string Method, string Path, string Traceparent, string Tracestate);
