using System.Diagnostics;
using Mesh.ControlPlane.Client;
using Mesh.Proxy.ControlPlane;
using Mesh.Proxy.Tests.Support;
using Mesh.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy.Tests.ControlPlane;

/// <summary>
/// A real <c>mesh up</c> (control plane, CA and ingest) with real sidecars (in-process <see cref="Sidecar"/>s fed by
/// its watch) beside real Kestrel apps, all on loopback. The test app calls <c>web</c>'s outbound port with a Host.
/// </summary>
internal sealed class MeshHarness : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private MeshHarness(MeshProcess mesh, MeshControlPlaneClient admin, string proxyToken)
    {
        Mesh = mesh;
        Admin = admin;
        ProxyToken = proxyToken;
    }

    public MeshProcess Mesh { get; }

    public MeshControlPlaneClient Admin { get; }

    public string ProxyToken { get; }

    public static async Task<MeshHarness> StartAsync(string resources)
    {
        var mesh = await MeshProcess.StartAsync();
        var admin = new MeshControlPlaneClient(mesh.ApiUrl, MeshProcess.AdminToken);
        var token = (await admin.CreateTokenAsync("proxies", "proxy", "shop/*")).Token;
        await admin.ApplyAsync(resources);
        return new MeshHarness(mesh, admin, token);
    }

    /// <summary>An app answering its version (and echoing the path), with a sidecar registering it.</summary>
    public async Task<Sidecar> ServiceAsync(string service, string? version, bool outbound = false, TimeSpan? certTtl = null)
    {
        var app = await Upstream.StartAsync(ctx => ctx.Response.WriteAsync($"{service}:{version}"));
        _owned.Add(app);
        var sidecar = await Sidecar.StartAsync(Options(service, version, app.Port, outbound, certTtl), Loggers());
        _owned.Add(sidecar);
        return sidecar;
    }

    public SidecarOptions Options(string service, string? version, int appPort, bool outbound, TimeSpan? certTtl) => new()
    {
        ControlPlane = Mesh.ApiUrl,
        Token = ProxyToken,
        Namespace = "shop",
        Service = service,
        Version = version,
        InboundPort = FreePort.Next(),
        AppPort = appPort,
        OutboundPort = outbound ? FreePort.Next() : 0,
        AdminPort = FreePort.Next(),
        CertificateTtl = certTtl,
    };

    public void Own(IAsyncDisposable resource) => _owned.Add(resource);

    /// <summary>A plain HTTP client of <paramref name="sidecar"/>'s outbound port: what the local app uses.</summary>
    public static HttpClient OutboundClient(Sidecar sidecar) => new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{sidecar.Server.Config.Listeners.Single(l => l.Name == "outbound").Port}"),
        Timeout = TimeSpan.FromSeconds(10),
    };

    public static async Task<(int Status, string Body, HttpResponseMessage Response)> GetAsync(HttpClient client, string host, string path, HttpMethod? method = null, string? traceparent = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.Host = host;
        if (traceparent is not null)
        {
            request.Headers.Add("traceparent", traceparent);
        }

        var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)))
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"timed out waiting until {what}");
    }

    private static ILoggerFactory? Loggers() =>
        Environment.GetEnvironmentVariable("MESH_TEST_PROXY_LOG") is null ? null : LoggerFactory.Create(b => b.AddProvider(new StderrLoggerProvider()));

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        Admin.Dispose();
        await Mesh.DisposeAsync();
    }
}
