using System.Net;
using System.Net.Sockets;
using System.Text;
using Mesh.Proxy.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Mesh.Proxy.Tests.Integration;

public sealed class ForwardingTests
{
    [Fact]
    public async Task Forward_Request_HeadersForwardedHopByHopDropped()
    {
        IHeaderDictionary? seen = null;
        await using var up = await Upstream.StartAsync(ctx =>
        {
            seen = new HeaderDictionary(ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value));
            ctx.Response.Headers["x-up"] = "1";
            ctx.Response.Headers["Keep-Alive"] = "timeout=5";
            return ctx.Response.WriteAsync($"{ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString}");
        });
        await using var proxy = await TestProxy.StartAsync(TestProxy.Simple(ports: up.Port));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/a%2Fb/c?x=1&y=2");
        request.Headers.TryAddWithoutValidation("Connection", "x-secret");
        request.Headers.TryAddWithoutValidation("x-secret", "drop me");
        request.Headers.TryAddWithoutValidation("x-keep", "keep me");

        using var response = await proxy.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("GET /a%2Fb/c?x=1&y=2", await response.Content.ReadAsStringAsync());
        Assert.Equal("1", response.Headers.GetValues("x-up").Single());
        Assert.False(response.Headers.Contains("Keep-Alive"));
        Assert.Equal("keep me", seen!["x-keep"].ToString());
        Assert.False(seen.ContainsKey("x-secret"), "a header named in Connection is hop-by-hop");
        Assert.Equal("127.0.0.1", seen["X-Forwarded-For"].ToString());
        Assert.Equal("http", seen["X-Forwarded-Proto"].ToString());
        Assert.Equal($"127.0.0.1:{proxy.Port}", seen["X-Forwarded-Host"].ToString());
        Assert.Equal($"for=127.0.0.1;proto=http;host=\"127.0.0.1:{proxy.Port}\"", seen["Forwarded"].ToString());
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", seen["traceparent"].ToString());
    }

    [Fact]
    public async Task Forward_NoMatchingRoute_404WithMeshHeader()
    {
        await using var up = await Upstream.TextAsync("x");
        await using var proxy = await TestProxy.StartAsync(TestProxy.Simple("match: { path: { prefix: /api } }", ports: up.Port));

        using var miss = await proxy.Client.GetAsync("/apix");
        using var hit = await proxy.Client.GetAsync("/api/items");

        Assert.Equal(HttpStatusCode.NotFound, miss.StatusCode);
        Assert.Equal("no-route", miss.Headers.GetValues("x-mesh-error").Single());
        Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        Assert.Equal(1, up.Requests);
    }

    [Fact]
    public async Task Forward_RouteMatching_HostMethodHeaderQueryRegexFirstMatchWins()
    {
        await using var a = await Upstream.TextAsync("a");
        await using var b = await Upstream.TextAsync("b");
        var yaml = $$"""
            service: { name: edge }
            listeners: [{ name: main, port: {port} }]
            routes:
              - { name: header, match: { headers: [{ name: x-user, regex: "beta-.*" }] }, cluster: b }
              - { name: query, match: { query: [{ name: v, exact: "2" }] }, cluster: b }
              - { name: host, match: { hosts: ["*.shop.test"], methods: [POST] }, cluster: b }
              - { name: exact, match: { path: { exact: /only } }, cluster: b }
              - { name: rest, match: { path: { regex: "/[a-z]+" } }, cluster: a }
            clusters:
              - { name: a, endpoints: [{ address: 127.0.0.1, port: {{a.Port}} }] }
              - { name: b, endpoints: [{ address: 127.0.0.1, port: {{b.Port}} }] }
            """;
        await using var proxy = await TestProxy.StartAsync(yaml);

        async Task<string> Send(HttpMethod method, string path, string? host = null, string? user = null)
        {
            using var r = new HttpRequestMessage(method, path);
            if (host is not null)
            {
                r.Headers.Host = host;
            }

            if (user is not null)
            {
                r.Headers.Add("x-user", user);
            }

            using var response = await proxy.Client.SendAsync(r);
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : ((int)response.StatusCode).ToString();
        }

        Assert.Equal("b", await Send(HttpMethod.Get, "/x", user: "beta-7"));
        Assert.Equal("a", await Send(HttpMethod.Get, "/x", user: "alpha"));
        Assert.Equal("b", await Send(HttpMethod.Get, "/x?v=2"));
        Assert.Equal("b", await Send(HttpMethod.Post, "/x", host: "api.shop.test"));
        Assert.Equal("a", await Send(HttpMethod.Get, "/x", host: "api.shop.test"));
        Assert.Equal("b", await Send(HttpMethod.Get, "/only"));
        Assert.Equal("404", await Send(HttpMethod.Get, "/UPPER"));
    }

    [Fact]
    public async Task Forward_HeaderRewrite_AppliedBothWays()
    {
        string? env = null, debug = null;
        await using var up = await Upstream.StartAsync(ctx =>
        {
            env = ctx.Request.Headers["x-env"];
            debug = ctx.Request.Headers["x-debug"];
            ctx.Response.Headers["server-secret"] = "s";
            return Task.CompletedTask;
        });
        await using var proxy = await TestProxy.StartAsync(TestProxy.Simple(
            "requestHeaders: { set: { x-env: prod }, remove: [x-debug] }\nresponseHeaders: { remove: [server-secret], add: { x-served-by: mesh } }", ports: up.Port));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("x-env", "dev");
        request.Headers.Add("x-debug", "1");

        using var response = await proxy.Client.SendAsync(request);

        Assert.Equal("prod", env);
        Assert.Equal("", debug ?? "");
        Assert.False(response.Headers.Contains("server-secret"));
        Assert.Equal("mesh", response.Headers.GetValues("x-served-by").Single());
    }

    [Fact]
    public async Task Forward_OversizedHeaders_431()
    {
        await using var up = await Upstream.TextAsync("x");
        await using var proxy = await TestProxy.StartAsync(TestProxy.Simple(ports: up.Port).Replace("port: {port} }", "port: {port}, maxRequestHeadersBytes: 4096 }", StringComparison.Ordinal));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("x-big", new string('a', 8000));

        using var response = await proxy.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Equal(0, up.Requests);
    }

    [Fact]
    public async Task Forward_MalformedRequest_400AndProxyKeepsServing()
    {
        await using var up = await Upstream.TextAsync("x");
        await using var proxy = await TestProxy.StartAsync(TestProxy.Simple(ports: up.Port));

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, proxy.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n"));
            var buffer = new byte[1024];
            var n = await stream.ReadAsync(buffer);
            Assert.StartsWith("HTTP/1.1 400", Encoding.ASCII.GetString(buffer, 0, n));
        }

        using var ok = await proxy.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Forward_ChunkedBodiesBothWays_Streamed()
    {
        await using var up = await Upstream.StartAsync(async ctx =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            var text = await reader.ReadToEndAsync();
            for (var i = 0; i < 3; i++)
            {
                await ctx.Response.WriteAsync($"{text.Length}:{i};");
                await ctx.Response.Body.FlushAsync();
            }
        });
        await using var proxy = await TestProxy.StartAsync(TestProxy.Simple(ports: up.Port));
        var content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(new string('z', 200_000))));

        using var response = await proxy.Client.PostAsync("/", content);

        Assert.Equal("200000:0;200000:1;200000:2;", await response.Content.ReadAsStringAsync());
    }
}
