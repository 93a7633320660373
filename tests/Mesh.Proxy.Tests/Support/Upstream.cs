using System.Net;
using Mesh.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy.Tests.Support;

/// <summary>A real Kestrel upstream on a free loopback port, with the handler a test gives it; counts requests.</summary>
internal sealed class Upstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private Upstream(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<Upstream> StartAsync(RequestDelegate handler, HttpProtocols protocols = HttpProtocols.Http1, bool webSockets = false)
    {
        var port = FreePort.Next();
        var builder = Mesh.Proxy.QuietWebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.Listen(IPAddress.Loopback, port, o => o.Protocols = protocols);
        });
        var app = builder.Build();
        if (webSockets)
        {
            app.UseWebSockets();
        }

        Upstream? self = null;
        app.Run(async ctx =>
        {
            Interlocked.Increment(ref self!._requests);
            await handler(ctx);
        });
        self = new Upstream(app, port);
        await app.StartAsync();
        return self;
    }

    public static Task<Upstream> TextAsync(string text, int status = 200) =>
        StartAsync(ctx =>
        {
            ctx.Response.StatusCode = status;
            return ctx.Response.WriteAsync(text);
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
