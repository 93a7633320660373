using System.Net;
using Mesh.Proxy.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Mesh.Proxy.Tests.Integration;

public sealed class TrafficTests
{
    private static string TwoVersions(int v1, int v2, string route, string cluster = "") => $$"""
        service: { name: edge }
        listeners: [{ name: main, port: {port} }]
        admin: { port: {admin} }
        routes:
          - name: main
        {{string.Join("\n", route.Split('\n').Select(l => "    " + l))}}
        clusters:
          - name: backend
            loadBalancer: round_robin
            endpoints:
              - { address: 127.0.0.1, port: {{v1}}, version: v1 }
              - { address: 127.0.0.1, port: {{v2}}, version: v2 }
        {{string.Join("\n", cluster.Split('\n').Select(l => "    " + l))}}
        """;

    private static async Task<List<string>> GetMany(HttpClient client, int n, string path = "/")
    {
        var bodies = new List<string>();
        for (var i = 0; i < n; i++)
        {
            using var r = await client.GetAsync(path);
            bodies.Add(r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadAsStringAsync() : ((int)r.StatusCode).ToString());
        }

        return bodies;
    }

    [Fact]
    public async Task Split_90To10_RatioWithinTolerance()
    {
        await using var v1 = await Upstream.TextAsync("v1");
        await using var v2 = await Upstream.TextAsync("v2");
        await using var proxy = await TestProxy.StartAsync(TwoVersions(v1.Port, v2.Port,
            "split: [{ cluster: backend, subset: v1, weight: 90 }, { cluster: backend, subset: v2, weight: 10 }]"));

        var bodies = await GetMany(proxy.Client, 1000);

        // Binomial(1000, 0.1): sd ~9.5, so 100 +- 40 is over 4 sd.
        Assert.InRange(bodies.Count(b => b == "v2"), 60, 140);
        Assert.Equal(1000, bodies.Count(b => b is "v1" or "v2"));
    }

    [Fact]
    public async Task Retry_FailingEndpoint_RescuedWhileBudgetHolds()
    {
        await using var bad = await Upstream.TextAsync("down", 503);
        await using var good = await Upstream.TextAsync("ok");
        await using var proxy = await TestProxy.StartAsync(TwoVersions(bad.Port, good.Port,
            "cluster: backend\nretry: { attempts: 3, on: [5xx], backoffBase: 1ms, backoffMax: 2ms, budget: { ratio: 1.0, minRetriesPerSecond: 10 } }"));

        var bodies = await GetMany(proxy.Client, 60);

        Assert.All(bodies, b => Assert.Equal("ok", b));
        Assert.True(bad.Requests >= 25, "round robin sent tries to the failing endpoint, and they were retried");
    }

    [Fact]
    public async Task Retry_BudgetExhausted_FailuresSurface()
    {
        await using var bad = await Upstream.TextAsync("down", 503);
        await using var good = await Upstream.TextAsync("ok");
        await using var proxy = await TestProxy.StartAsync(TwoVersions(bad.Port, good.Port,
            "cluster: backend\nretry: { attempts: 3, on: [5xx], backoffBase: 1ms, backoffMax: 2ms, budget: { ratio: 0.1, minRetriesPerSecond: 0, window: 60s } }"));

        var bodies = await GetMany(proxy.Client, 60);

        var failed = bodies.Count(b => b == "503");
        Assert.InRange(failed, 15, 30);
        var metrics = await proxy.Client.GetStringAsync(proxy.Admin("/metrics"));
        Assert.Contains("mesh_proxy_retry_budget_exhausted_total", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("mesh_proxy_retry_budget_exhausted_total 0\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_StreamedBody_NeverRetried()
    {
        await using var bad = await Upstream.StartAsync(async ctx =>
        {
            await ctx.Request.Body.CopyToAsync(Stream.Null);
            ctx.Response.StatusCode = 503;
        });
        await using var proxy = await TestProxy.StartAsync(TestProxy.Simple("retry: { attempts: 3, on: [5xx], backoffBase: 1ms, backoffMax: 1ms }", ports: bad.Port));

        using var big = await proxy.Client.PostAsync("/", new StreamContent(new MemoryStream(new byte[200_000])));
        using var small = await proxy.Client.PostAsync("/", new ByteArrayContent(new byte[100]));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, big.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, small.StatusCode);
        Assert.Equal(1 + 3, bad.Requests);
    }

    [Fact]
    public async Task Outlier_Consecutive5xx_EjectedThenRecovers()
    {
        await using var bad = await Upstream.TextAsync("down", 500);
        await using var good = await Upstream.TextAsync("ok");
        await using var proxy = await TestProxy.StartAsync(TwoVersions(bad.Port, good.Port, "cluster: backend",
            "outlierDetection: { consecutive5xx: 3, interval: 100ms, baseEjectionTime: 1s, maxEjectedPercent: 50 }"));

        var first = await GetMany(proxy.Client, 40);
        var badBefore = bad.Requests;
        var afterEjection = await GetMany(proxy.Client, 40);

        Assert.Equal(3, first.Count(b => b == "500"));
        Assert.Equal(3, badBefore);
        Assert.All(afterEjection, b => Assert.Equal("ok", b));
        var stats = await proxy.Client.GetStringAsync(proxy.Admin("/stats"));
        Assert.Contains("\"ejected\": true", stats, StringComparison.Ordinal);

        await Task.Delay(1300);
        await GetMany(proxy.Client, 10);
        Assert.True(bad.Requests > 3, "after the ejection time the endpoint is tried again");
    }

    [Fact]
    public async Task Outlier_LatencyOutlier_EjectedByLiveTraffic()
    {
        await using var slow = await Upstream.StartAsync(async ctx =>
        {
            await Task.Delay(60);
            await ctx.Response.WriteAsync("slow");
        });
        await using var fast = await Upstream.TextAsync("fast");
        await using var fast2 = await Upstream.TextAsync("fast");
        var yaml = $$"""
            service: { name: edge }
            listeners: [{ name: main, port: {port} }]
            admin: { port: {admin} }
            routes: [{ name: main, cluster: backend }]
            clusters:
              - name: backend
                loadBalancer: round_robin
                endpoints:
                  - { address: 127.0.0.1, port: {{slow.Port}} }
                  - { address: 127.0.0.1, port: {{fast.Port}} }
                  - { address: 127.0.0.1, port: {{fast2.Port}} }
                outlierDetection:
                  interval: 1s
                  baseEjectionTime: 30s
                  latency: { minRequests: 5, factor: 3, percentile: 90, minLatency: 20ms }
            """;
        await using var proxy = await TestProxy.StartAsync(yaml);

        var deadline = DateTime.UtcNow.AddSeconds(8);
        while (DateTime.UtcNow < deadline && !(await proxy.Client.GetStringAsync(proxy.Admin("/metrics"))).Contains("reason=\"latency\"", StringComparison.Ordinal))
        {
            await GetMany(proxy.Client, 15);
        }

        var slowBefore = slow.Requests;
        var after = await GetMany(proxy.Client, 30);

        Assert.All(after, b => Assert.Equal("fast", b));
        Assert.Equal(slowBefore, slow.Requests);
    }

    [Fact]
    public async Task Timeout_PerTry_504WithReason()
    {
        await using var slow = await Upstream.StartAsync(async ctx =>
        {
            await Task.Delay(2000, ctx.RequestAborted);
            await ctx.Response.WriteAsync("late");
        });
        await using var proxy = await TestProxy.StartAsync(TestProxy.Simple("timeout: 5s\nretry: { attempts: 2, on: [per-try-timeout], perTryTimeout: 150ms, backoffBase: 1ms, backoffMax: 1ms }", ports: slow.Port));

        var started = DateTime.UtcNow;
        using var response = await proxy.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream-timeout", response.Headers.GetValues("x-mesh-error").Single());
        Assert.InRange((DateTime.UtcNow - started).TotalMilliseconds, 250, 1500);
        Assert.Equal(2, slow.Requests);
    }

    [Fact]
    public async Task Timeout_Route_504()
    {
        await using var slow = await Upstream.StartAsync(async ctx =>
        {
            await Task.Delay(2000, ctx.RequestAborted);
        });
        await using var proxy = await TestProxy.StartAsync(TestProxy.Simple("timeout: 200ms", ports: slow.Port));

        using var response = await proxy.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }

    [Fact]
    public async Task Fault_AbortHalf_PercentageHolds()
    {
        await using var up = await Upstream.TextAsync("ok");
        await using var proxy = await TestProxy.StartAsync(TestProxy.Simple("fault: { abort: { status: 418, percent: 50 } }", ports: up.Port));

        var bodies = await GetMany(proxy.Client, 400);

        Assert.InRange(bodies.Count(b => b == "418"), 160, 240);
        Assert.Equal(bodies.Count(b => b == "ok"), up.Requests);
    }

    [Fact]
    public async Task Fault_DelayOnlyWithHeader_Delays()
    {
        await using var up = await Upstream.TextAsync("ok");
        await using var proxy = await TestProxy.StartAsync(TestProxy.Simple(
            "fault: { delay: { duration: 300ms, percent: 100 }, headers: [{ name: x-chaos, exact: \"on\" }] }", ports: up.Port));

        var plain = DateTime.UtcNow;
        await proxy.Client.GetStringAsync("/");
        var plainMs = (DateTime.UtcNow - plain).TotalMilliseconds;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("x-chaos", "on");
        var chaos = DateTime.UtcNow;
        using var response = await proxy.Client.SendAsync(request);
        var chaosMs = (DateTime.UtcNow - chaos).TotalMilliseconds;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(chaosMs >= 290, $"delayed request took {chaosMs} ms");
        Assert.True(plainMs < 290, $"request without the header took {plainMs} ms");
    }

    [Fact]
    public async Task Mirror_Copies_ReceivedAndResponsesDiscarded()
    {
        var mirrored = new System.Collections.Concurrent.ConcurrentBag<string>();
        await using var up = await Upstream.TextAsync("real");
        await using var shadow = await Upstream.StartAsync(async ctx =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            mirrored.Add($"{ctx.Request.Host} {await reader.ReadToEndAsync()}");
            ctx.Response.StatusCode = 500;
        });
        var yaml = TestProxy.Simple("mirror: { cluster: shadow, percent: 100 }", ports: up.Port)
            + $"\n  - name: shadow\n    endpoints: [{{ address: 127.0.0.1, port: {shadow.Port} }}]";
        await using var proxy = await TestProxy.StartAsync(yaml);

        for (var i = 0; i < 10; i++)
        {
            using var r = await proxy.Client.PostAsync("/", new StringContent($"body-{i}"));
            Assert.Equal("real", await r.Content.ReadAsStringAsync());
        }

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (mirrored.Count < 10 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(10, mirrored.Count);
        Assert.Contains($"127.0.0.1-shadow:{proxy.Port} body-3", mirrored);
    }

    // Decision (docs/proxy.md): a body too large to buffer for replay (> 64 KiB, or chunked) streams to the real
    // upstream only; the mirror skips it and counts it, so the shadow can never hold the real request's memory or pace.
    [Fact]
    public async Task Mirror_LargeBody_StreamsToPrimaryOnly_SkipCounted()
    {
        var mirrored = 0;
        long primaryBytes = 0;
        await using var up = await Upstream.StartAsync(async ctx =>
        {
            var buffer = new byte[16 * 1024];
            int n;
            while ((n = await ctx.Request.Body.ReadAsync(buffer)) > 0)
            {
                Interlocked.Add(ref primaryBytes, n);
            }

            await ctx.Response.WriteAsync("real");
        });
        await using var shadow = await Upstream.StartAsync(ctx =>
        {
            Interlocked.Increment(ref mirrored);
            return Task.CompletedTask;
        });
        var yaml = TestProxy.Simple("mirror: { cluster: shadow, percent: 100 }", ports: up.Port)
            + $"\n  - name: shadow\n    endpoints: [{{ address: 127.0.0.1, port: {shadow.Port} }}]";
        await using var proxy = await TestProxy.StartAsync(yaml);

        var large = new byte[(1024 * 1024) + 1];
        Random.Shared.NextBytes(large);
        using (var r = await proxy.Client.PostAsync("/", new ByteArrayContent(large)))
        {
            Assert.Equal("real", await r.Content.ReadAsStringAsync());
        }

        using (var small = await proxy.Client.PostAsync("/", new ByteArrayContent(new byte[1000])))
        {
            Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        }

        var deadline = DateTime.UtcNow.AddSeconds(5);
        var metrics = "";
        while (!metrics.Contains("mesh_proxy_mirrored_total 1\n", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            metrics = await proxy.Client.GetStringAsync(proxy.Admin("/metrics"));
        }

        Assert.Equal(large.Length + 1000, Interlocked.Read(ref primaryBytes));
        Assert.Equal(1, Volatile.Read(ref mirrored)); // the small body only
        Assert.Contains("mesh_proxy_mirror_skipped_streamed_body_total 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("mesh_proxy_mirrored_total 1\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimit_PerRoute_429WithRetryAfter()
    {
        await using var up = await Upstream.TextAsync("ok");
        await using var proxy = await TestProxy.StartAsync(TestProxy.Simple("rateLimit: { requestsPerSecond: 1, burst: 5 }", ports: up.Port));

        var codes = new List<HttpStatusCode>();
        string? retryAfter = null;
        for (var i = 0; i < 10; i++)
        {
            using var r = await proxy.Client.GetAsync("/");
            codes.Add(r.StatusCode);
            retryAfter ??= r.Headers.RetryAfter?.ToString();
        }

        Assert.InRange(codes.Count(c => c == HttpStatusCode.OK), 5, 6);
        Assert.Contains(HttpStatusCode.TooManyRequests, codes);
        Assert.Equal("1", retryAfter);
    }

    [Fact]
    public async Task RateLimit_PerSource_SeparateBudgets()
    {
        await using var up = await Upstream.TextAsync("ok");
        await using var proxy = await TestProxy.StartAsync(TestProxy.Simple("rateLimit: { requestsPerSecond: 0.1, burst: 2, perSource: true }", ports: up.Port));

        async Task<HttpStatusCode> As(string source)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Add("x-mesh-source", source);
            using var r = await proxy.Client.SendAsync(request);
            return r.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await As("a"));
        Assert.Equal(HttpStatusCode.OK, await As("a"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await As("a"));
        Assert.Equal(HttpStatusCode.OK, await As("b"));
    }

    [Fact]
    public async Task CircuitBreaker_MaxConcurrent_FastFail503WithReason()
    {
        var release = new TaskCompletionSource();
        await using var slow = await Upstream.StartAsync(async ctx =>
        {
            await release.Task;
            await ctx.Response.WriteAsync("done");
        });
        await using var proxy = await TestProxy.StartAsync(TestProxy.Simple(clusterExtra: "circuitBreaker: { maxConcurrent: 2, maxPending: 0 }", ports: slow.Port));

        var held = new[] { proxy.Client.GetAsync("/"), proxy.Client.GetAsync("/") };
        while (slow.Requests < 2)
        {
            await Task.Delay(10);
        }

        using var refused = await proxy.Client.GetAsync("/");
        release.SetResult();
        var done = await Task.WhenAll(held);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("circuit-open", refused.Headers.GetValues("x-mesh-error").Single());
        Assert.Equal("max_concurrent", refused.Headers.GetValues("x-mesh-circuit").Single());
        Assert.All(done, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task HealthCheck_FailingEndpoint_TakenOutOfRotation()
    {
        await using var sick = await Upstream.StartAsync(ctx =>
        {
            ctx.Response.StatusCode = ctx.Request.Path == "/healthz" ? 500 : 200;
            return ctx.Response.WriteAsync("sick");
        });
        await using var well = await Upstream.TextAsync("well");
        await using var proxy = await TestProxy.StartAsync(TwoVersions(sick.Port, well.Port, "cluster: backend",
            "healthCheck: { path: /healthz, interval: 100ms, timeout: 1s, unhealthyThreshold: 2, healthyThreshold: 1 }"));

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && !(await proxy.Client.GetStringAsync(proxy.Admin("/stats"))).Contains("\"healthy\": false", StringComparison.Ordinal))
        {
            await Task.Delay(50);
        }

        var bodies = await GetMany(proxy.Client, 20);

        Assert.All(bodies, b => Assert.Equal("well", b));
    }

    [Fact]
    public async Task AdminWeight_Override_ShiftsTrafficAtRuntime()
    {
        await using var v1 = await Upstream.TextAsync("v1");
        await using var v2 = await Upstream.TextAsync("v2");
        await using var proxy = await TestProxy.StartAsync(TwoVersions(v1.Port, v2.Port, "cluster: backend"));

        using var set = await proxy.Client.PostAsync(proxy.Admin($"/endpoints/weight?cluster=backend&endpoint=127.0.0.1:{v2.Port}&weight=300"), null);
        using var bad = await proxy.Client.PostAsync(proxy.Admin("/endpoints/weight?cluster=backend&endpoint=nope:1&weight=3"), null);
        var bodies = await GetMany(proxy.Client, 100);

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
        Assert.Equal(75, bodies.Count(b => b == "v2"));
    }

    [Fact]
    public async Task Reload_NewSnapshot_AppliesWithoutRestart()
    {
        await using var v1 = await Upstream.TextAsync("v1");
        await using var v2 = await Upstream.TextAsync("v2");
        var yaml = TwoVersions(v1.Port, v2.Port, "split: [{ cluster: backend, subset: v1, weight: 100 }]");
        await using var proxy = await TestProxy.StartAsync(yaml);
        Assert.All(await GetMany(proxy.Client, 5), b => Assert.Equal("v1", b));

        var next = Mesh.Proxy.Config.ProxyConfigSerializer.FromYaml(
            yaml.Replace("subset: v1, weight: 100", "subset: v2, weight: 100", StringComparison.Ordinal)
                .Replace("{port}", proxy.Port.ToString(), StringComparison.Ordinal).Replace("{admin}", proxy.AdminPort.ToString(), StringComparison.Ordinal)) with { Version = "2" };
        proxy.Source.Update(next);

        Assert.All(await GetMany(proxy.Client, 5), b => Assert.Equal("v2", b));
        Assert.Contains("\"version\": \"2\"", await proxy.Client.GetStringAsync(proxy.Admin("/config_dump")), StringComparison.Ordinal);
    }
}
