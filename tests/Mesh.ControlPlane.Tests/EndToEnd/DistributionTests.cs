using System.Collections.Concurrent;
using System.Diagnostics;
using Mesh.ControlPlane.Client;
using Mesh.ControlPlane.Client.Contracts;
using Mesh.Proxy.Config;
using Mesh.Testing;
using Xunit;

namespace Mesh.ControlPlane.Tests.EndToEnd;

/// <summary>Watch clients (the client library's <see cref="ProxyAgent"/>) against a real <c>mesh up</c>: push, ACK/NACK, restart and resync.</summary>
public sealed class DistributionTests : IAsyncLifetime
{
    private MeshProcess _mesh = null!;

    public async Task InitializeAsync() => _mesh = await MeshProcess.StartAsync();

    public async Task DisposeAsync() => await _mesh.DisposeAsync();

    [Fact]
    public async Task Apply_PushedToEveryWatcher_NackVisible_ResyncAfterRestart()
    {
        using var admin = new MeshControlPlaneClient(_mesh.ApiUrl, MeshProcess.AdminToken);
        var proxyToken = (await admin.CreateTokenAsync("proxies", "proxy", "shop/*")).Token;
        await admin.ApplyAsync(Yaml.Shop + "\n---\n" + Yaml.Route(90, 10));
        using var proxyClient = new MeshControlPlaneClient(_mesh.ApiUrl, proxyToken);
        foreach (var (port, version) in new[] { (9001, "v1"), (9002, "v2") })
        {
            await proxyClient.RegisterAsync(new RegisterEndpointRequest
            {
                Namespace = "shop", Service = "cart", Address = "127.0.0.1", Port = port, Version = version, ProxyId = $"cart-{port}", TtlSeconds = 3600,
            });
        }

        var applied = new ConcurrentDictionary<string, ProxyConfig>();
        using var stop = new CancellationTokenSource();
        var agents = new List<(ProxyAgent Agent, Task Run, MeshControlPlaneClient Client)>();
        for (var i = 0; i < 3; i++)
        {
            var id = $"web-{i}";
            var client = new MeshControlPlaneClient(_mesh.ApiUrl, proxyToken);
            var refuseHalf = i == 2;
            var agent = new ProxyAgent(
                client,
                new ProxyNode { Id = id, Namespace = "shop", Service = "web", OutboundPort = 15001 + i },
                (config, _, _) =>
                {
                    if (refuseHalf && Weights(config) == "50/50")
                    {
                        throw new InvalidOperationException("this proxy refuses 50/50 splits");
                    }

                    applied[id] = config;
                    return ValueTask.CompletedTask;
                });
            agents.Add((agent, agent.RunAsync(stop.Token), client));
        }

        await Eventually.TrueAsync(() => Task.FromResult(applied.Count == 3 && applied.Values.All(c => Weights(c) == "90/10")), "every proxy applied the 90/10 split");

        var clock = Stopwatch.StartNew();
        await admin.ApplyAsync(Yaml.Route(50, 50));
        await Eventually.TrueAsync(() => Task.FromResult(Weights(applied["web-0"]) == "50/50" && Weights(applied["web-1"]) == "50/50"), "the 50/50 split reached the accepting proxies");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"push took {clock.Elapsed}");

        await Eventually.TrueAsync(
            async () => (await admin.ProxiesAsync()).Any(p => p.Id == "web-2" && p.NackError is { } e && e.Contains("refuses 50/50", StringComparison.Ordinal)),
            "the NACK of web-2 shows in the API");
        var statuses = await admin.ProxiesAsync();
        var refused = statuses.Single(p => p.Id == "web-2");
        Assert.Equal(refused.SentVersion, refused.NackedVersion);
        Assert.True(refused.AckedVersion < refused.NackedVersion);
        Assert.Equal("90/10", Weights(applied["web-2"]));
        var accepted = statuses.Single(p => p.Id == "web-0");
        Assert.Equal(accepted.SentVersion, accepted.AckedVersion);

        // Control plane gone: proxies keep what they have; back: they reconnect and resync.
        var before = agents[0].Agent.AppliedVersion;
        _mesh.Kill();
        Assert.Equal("50/50", Weights(applied["web-0"]));
        Assert.Equal(before, agents[0].Agent.AppliedVersion);
        await _mesh.StartAsync(TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(
            async () => (await admin.ProxiesAsync()).Where(p => p.Id is "web-0" or "web-1").All(p => p.Connected && p.AckedVersion == p.SentVersion && p.SentVersion > before)
                && (await admin.ProxiesAsync()).Count(p => p.Id.StartsWith("web-", StringComparison.Ordinal)) == 3,
            "every proxy resynced with the restarted control plane",
            TimeSpan.FromSeconds(30));
        Assert.All(agents, a => Assert.True(a.Agent.Connects >= 2));
        Assert.Equal("50/50", Weights(applied["web-1"]));

        await stop.CancelAsync();
        foreach (var (_, run, client) in agents)
        {
            await run;
            client.Dispose();
        }
    }

    [Fact]
    public async Task Lease_RenewAndDeregisterOverHttp_FindTheLeaseWhoseIdHasSlashes()
    {
        using var admin = new MeshControlPlaneClient(_mesh.ApiUrl, MeshProcess.AdminToken);
        await admin.ApplyAsync(Yaml.Shop);
        using var proxyClient = new MeshControlPlaneClient(_mesh.ApiUrl, (await admin.CreateTokenAsync("lease-proxy", "proxy", "shop/cart")).Token);
        var lease = await proxyClient.RegisterAsync(new RegisterEndpointRequest
        {
            Namespace = "shop", Service = "cart", Address = "127.0.0.1", Port = 9101, Version = "v1", ProxyId = "cart-9101", TtlSeconds = 60,
        });
        Assert.Contains("/", lease.Id, StringComparison.Ordinal);

        // A sidecar renews at a third of its lease: the id it was given must be found again, not lapse and re-register.
        var renewed = await proxyClient.RenewAsync(lease.Id);
        Assert.Equal(lease.Id, renewed.Id);
        Assert.True(renewed.ExpiresAt >= lease.ExpiresAt, $"renewal moved the expiry back: {lease.ExpiresAt:O} -> {renewed.ExpiresAt:O}");

        await proxyClient.DeregisterAsync(lease.Id);
        var gone = await Assert.ThrowsAsync<MeshApiException>(() => proxyClient.RenewAsync(lease.Id));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.Status);
    }

    [Fact]
    public async Task Cli_ApplyInvalid_NamesFieldAndChangesNothing_GetAndRollbackWork()
    {
        var dir = Directory.CreateTempSubdirectory("mesh-cli-").FullName;
        var good = Path.Combine(dir, "good.yaml");
        var bad = Path.Combine(dir, "bad.yaml");
        await File.WriteAllTextAsync(good, Yaml.Shop + "\n---\n" + Yaml.Route(90, 10));
        await File.WriteAllTextAsync(bad, Yaml.Route(80, 10));

        var (applyCode, applyOut, _) = await CliAsync("apply", "-f", good);
        var (badCode, _, badErr) = await CliAsync("apply", "-f", bad);
        var (_, routes, _) = await CliAsync("get", "routes");
        var (_, revisions, _) = await CliAsync("get", "revisions");
        var (describeCode, describe, _) = await CliAsync("describe", "service", "cart", "-n", "shop");
        var (rollbackCode, rollback, _) = await CliAsync("rollback", "1");

        Assert.Equal(0, applyCode);
        Assert.Contains("Route/shop/cart created", applyOut, StringComparison.Ordinal);
        Assert.Equal(1, badCode);
        Assert.Contains("spec.routes[0].split: weights sum to 90, expected 100", badErr, StringComparison.Ordinal);
        Assert.Contains("\"weight\":90", routes, StringComparison.Ordinal);
        Assert.DoesNotContain("\"weight\":80", routes, StringComparison.Ordinal);
        Assert.Single(revisions.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1));
        Assert.Equal(0, describeCode);
        Assert.Contains("\"team\": \"checkout\"", describe, StringComparison.Ordinal);
        Assert.Equal(0, rollbackCode);
        Assert.Contains("revision 1", rollback, StringComparison.Ordinal);
        Directory.Delete(dir, recursive: true);
    }

    private async Task<(int Code, string Out, string Err)> CliAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mesh.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["MESH_SERVER"] = _mesh.ApiUrl.ToString();
        info.Environment["MESH_TOKEN"] = MeshProcess.AdminToken;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Weights(ProxyConfig config) =>
        config.Routes.FirstOrDefault(r => r.Name == "shop/cart/api") is { Split.Count: 2 } route
            ? $"{route.Split[0].Weight}/{route.Split[1].Weight}"
            : "none";
}
