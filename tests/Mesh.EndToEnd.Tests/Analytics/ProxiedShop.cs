using System.Net;
using Mesh.Proxy;
using Mesh.Proxy.Config;
using Mesh.Proxy.Configuration;
using Mesh.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mesh.EndToEnd.Tests.Analytics;

/// <summary>
/// A small meshed shop of real processes' parts, all on loopback: an ingress gateway (a <see cref="ProxyServer"/>)
/// in front of the frontend's inbound sidecar; the frontend (a Kestrel app) calls the cart through its outbound
/// sidecar, which balances over two cart instances (v1, v2), each a Kestrel app behind its own inbound sidecar.
/// Every proxy exports its spans to the given ingest. The cart answers <c>/cart/{n}</c> with n·10 bytes, and 503
/// when n is a multiple of <see cref="FailEvery"/>; the frontend passes status and body through.
/// </summary>
internal sealed class ProxiedShop : IAsyncDisposable
{
    public const int FailEvery = 7;

    private readonly List<IAsyncDisposable> _parts = [];
    private readonly HttpClient _toCart = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };

    private ProxiedShop(string id)
    {
        Gateway = $"gw-{id}";
        Frontend = $"frontend-{id}";
        Cart = $"cart-{id}";
        Namespace = $"shop-{id}";
    }

    public string Gateway { get; }

    public string Frontend { get; }

    public string Cart { get; }

    public string Namespace { get; }

    /// <summary>The gateway's listener: where clients send requests.</summary>
    public Uri Entry { get; private set; } = null!;

    /// <summary><c>address:port</c> of the two cart sidecars, v1 then v2.</summary>
    public IReadOnlyList<string> CartEndpoints { get; private set; } = [];

    public static async Task<ProxiedShop> StartAsync(MeshProcess ingest)
    {
        var shop = new ProxiedShop(Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await shop.StartPartsAsync(ingest);
            return shop;
        }
        catch
        {
            await shop.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Proxies first (their last export still reaches the ingest), then the apps behind them.
        for (var i = _parts.Count - 1; i >= 0; i--)
        {
            await _parts[i].DisposeAsync();
        }

        _toCart.Dispose();
    }

    private async Task StartPartsAsync(MeshProcess ingest)
    {
        var telemetry = $"telemetry: {{ otlpEndpoint: \"{ingest.OtlpHttpUrl}\", token: {MeshProcess.IngestToken}, exportInterval: 100ms }}";
        var cartSidecars = new List<int>();
        foreach (var version in new[] { "v1", "v2" })
        {
            var app = await App.StartAsync(CartAsync);
            _parts.Add(app);
            var sidecar = FreePort.Next();
            await ProxyAsync($$"""
                service: { name: {{Cart}}, version: {{version}}, namespace: {{Namespace}} }
                listeners: [{ name: in, port: {{sidecar}}, mode: inbound }]
                routes: [{ name: local, cluster: local }]
                clusters: [{ name: local, service: {{Cart}}, endpoints: [{ address: 127.0.0.1, port: {{app.Port}} }] }]
                {{telemetry}}
                """);
            cartSidecars.Add(sidecar);
        }

        CartEndpoints = [.. cartSidecars.Select(p => $"127.0.0.1:{p}")];
        var outbound = FreePort.Next();
        await ProxyAsync($$"""
            service: { name: {{Frontend}}, version: "1.0", namespace: {{Namespace}} }
            listeners: [{ name: out, port: {{outbound}}, mode: outbound }]
            routes: [{ name: cart, match: { path: { prefix: /cart } }, pathTemplate: "/cart/{n}", cluster: cart }]
            clusters:
              - name: cart
                service: {{Cart}}
                namespace: {{Namespace}}
                loadBalancer: round_robin
                endpoints:
                  - { address: 127.0.0.1, port: {{cartSidecars[0]}}, version: v1 }
                  - { address: 127.0.0.1, port: {{cartSidecars[1]}}, version: v2 }
            {{telemetry}}
            """);

        var frontend = await App.StartAsync(ctx => FrontendAsync(ctx, outbound));
        _parts.Add(frontend);
        var frontendSidecar = FreePort.Next();
        await ProxyAsync($$"""
            service: { name: {{Frontend}}, version: "1.0", namespace: {{Namespace}} }
            listeners: [{ name: in, port: {{frontendSidecar}}, mode: inbound }]
            routes: [{ name: local, cluster: local }]
            clusters: [{ name: local, service: {{Frontend}}, endpoints: [{ address: 127.0.0.1, port: {{frontend.Port}} }] }]
            {{telemetry}}
            """);

        var gateway = FreePort.Next();
        await ProxyAsync($$"""
            service: { name: {{Gateway}}, namespace: {{Namespace}} }
            listeners: [{ name: edge, port: {{gateway}}, mode: ingress }]
            routes: [{ name: shop, match: { path: { prefix: /shop } }, pathTemplate: "/shop/{n}", cluster: frontend }]
            clusters: [{ name: frontend, service: {{Frontend}}, namespace: {{Namespace}}, endpoints: [{ address: 127.0.0.1, port: {{frontendSidecar}}, version: "1.0" }] }]
            {{telemetry}}
            """);
        Entry = new Uri($"http://127.0.0.1:{gateway}/");
    }

    private async Task ProxyAsync(string yaml)
    {
        var source = new StaticProxyConfigSource(ProxyConfigSerializer.FromYaml(yaml));
        var server = await ProxyServer.StartAsync(source);
        _parts.Add(new Owned(server, source));
    }

    private static Task CartAsync(HttpContext ctx)
    {
        var n = int.Parse(ctx.Request.Path.Value!.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        ctx.Response.StatusCode = n % FailEvery == 0 ? 503 : 200;
        return ctx.Response.Body.WriteAsync(new byte[n * 10]).AsTask();
    }

    /// <summary>The frontend's handler: the same path on the cart, through the outbound sidecar, with the trace context passed on.</summary>
    private async Task FrontendAsync(HttpContext ctx, int outbound)
    {
        var n = ctx.Request.Path.Value!.Split('/')[^1];
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{outbound}/cart/{n}");
        if (ctx.Request.Headers.TryGetValue("traceparent", out var traceparent))
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceparent.ToString());
        }

        using var response = await _toCart.SendAsync(request, ctx.RequestAborted);
        ctx.Response.StatusCode = (int)response.StatusCode;
        await response.Content.CopyToAsync(ctx.Response.Body, ctx.RequestAborted);
    }

    /// <summary>A proxy and its config source, disposed together.</summary>
    private sealed class Owned(ProxyServer server, StaticProxyConfigSource source) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await server.DisposeAsync();
            source.Dispose();
        }
    }

    /// <summary>A Kestrel app on a free loopback port.</summary>
    private sealed class App(WebApplication app, int port) : IAsyncDisposable
    {
        public int Port { get; } = port;

        public static async Task<App> StartAsync(RequestDelegate handler)
        {
            var port = FreePort.Next();
            var builder = Mesh.Proxy.QuietWebApplication.CreateBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
            var app = builder.Build();
            app.Run(handler);
            await app.StartAsync();
            return new App(app, port);
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
