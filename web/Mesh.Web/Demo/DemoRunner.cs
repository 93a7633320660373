using System.Diagnostics;
using System.Text.Json;
using Mesh.ControlPlane.Client;
using Mesh.Demo.Topology;
using Microsoft.Extensions.Logging;

namespace Mesh.Web.Demo;

/// <summary>
/// Runs the demo store beside the platform: applies its resources through the control plane, starts every
/// instance behind its sidecar and then the load generator against the frontend's sidecar, each a supervised
/// child (<see cref="ChildProcess"/>), and owns the canary split. Disposing stops every child.
/// </summary>
internal sealed class DemoRunner : IAsyncDisposable
{
    private readonly DemoContext _context;
    private readonly ILogger _logger;
    private readonly MeshControlPlaneClient _controlPlane;
    private readonly SidecarLauncher _launcher;
    private readonly SemaphoreSlim _splitLock = new(1, 1);
    private readonly List<ChildProcess> _children = [];
    private int _disposed;

    private DemoRunner(DemoContext context, ILogger logger, MeshControlPlaneClient controlPlane, SidecarLauncher launcher, CanarySplit split)
    {
        _context = context;
        _logger = logger;
        _controlPlane = controlPlane;
        _launcher = launcher;
        Split = split;
    }

    public DemoContext Context => _context;

    public CanarySplit Split { get; private set; }

    public IReadOnlyList<DemoInstance> Instances { get; private set; } = [];

    public ChildProcess Load { get; private set; } = null!;

    public ChildProcess LoadSidecar { get; private set; } = null!;

    /// <summary>Stopwatch timestamp of the start, for "ready in …" and the startup measurement.</summary>
    public long StartedAt { get; } = Stopwatch.GetTimestamp();

    public static async Task<DemoRunner> StartAsync(DemoContext context, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var dll in new[] { context.MeshDll, context.DemoDll })
        {
            if (!File.Exists(dll))
            {
                throw new FileNotFoundException($"{Path.GetFileName(dll)} is not in {context.BinDirectory}; build web/Mesh.Web (it builds the demo too)", dll);
            }
        }

        Directory.CreateDirectory(context.LogDirectory);
        Directory.CreateDirectory(context.ServiceDataDirectory);
        var controlPlane = new MeshControlPlaneClient(context.ApiUrl, context.AdminToken);
        await controlPlane.ApplyAsync(DemoResources.Base(context.Ports), cancellationToken: cancellationToken).ConfigureAwait(false);
        var split = await StoredSplitAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        if (split is null)
        {
            split = CanarySplit.Initial;
            await controlPlane.ApplyAsync(DemoResources.CanaryRoute(split), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var proxyToken = context.Settings.Sidecars == DemoSidecarMode.ControlPlane
            ? await ProxyTokenAsync(context, controlPlane, cancellationToken).ConfigureAwait(false)
            : "";
        var runner = new DemoRunner(context, logger, controlPlane, new SidecarLauncher(context, proxyToken), split);
        runner.StartChildren(time);
        return runner;
    }

    private void StartChildren(TimeProvider time)
    {
        var ports = _context.Ports;
        var instances = new List<DemoInstance>();
        foreach (var instance in DemoTopology.Instances)
        {
            var sidecar = new ChildProcess(_launcher.Build(instance, Split), _context.LogDirectory, _logger, time);
            var upstream = instance.Calls.Count > 0 ? new Uri($"http://127.0.0.1:{ports.Outbound(instance)}") : null;
            var appArgs = DemoTopology.ServiceArguments(instance, ports.App(instance), upstream, _context.ServiceDataDirectory);
            var app = new ChildProcess(
                new ChildSpec(instance.InstanceName, _context.Dotnet, [_context.DemoDll, .. appArgs], new Uri($"http://127.0.0.1:{ports.App(instance)}/healthz"))
                {
                    Environment = DemoContext.ChildEnvironment,
                },
                _context.LogDirectory,
                _logger,
                time);
            instances.Add(new DemoInstance(instance, app, sidecar));
        }

        // The load goes through its own sidecar's outbound side (Host: frontend), like every other caller.
        LoadSidecar = new ChildProcess(_launcher.Build(DemoPorts.LoadInstance, Split), _context.LogDirectory, _logger, time);
        var loadArgs = DemoTopology.LoadArguments(
            new Uri($"http://127.0.0.1:{ports.Outbound(DemoPorts.LoadInstance)}"), _context.Settings.Rps, ports.Load, hostHeader: DemoTopology.EntryService);
        Load = new ChildProcess(
            new ChildSpec("load", _context.Dotnet, [_context.DemoDll, .. loadArgs], new Uri($"http://127.0.0.1:{ports.Load}/healthz"))
            {
                Environment = DemoContext.ChildEnvironment,
            },
            _context.LogDirectory,
            _logger,
            time);
        Instances = instances;

        // Sidecars first (callers retry through them while their apps come up), then the apps, then the load.
        foreach (var child in instances.Select(i => i.Sidecar).Append(LoadSidecar).Concat(instances.Select(i => i.App)).Append(Load))
        {
            _children.Add(child);
            child.Start();
        }

        _ = ReportReadyAsync();
    }

    private async Task ReportReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var pending = _children.ToList();
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 120);
        while (pending.Count > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            foreach (var child in pending.ToList())
            {
                try
                {
                    using var response = await http.GetAsync(child.Spec.HealthUrl).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        pending.Remove(child);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                }
            }

            if (pending.Count > 0)
            {
                await Task.Delay(250).ConfigureAwait(false);
            }
        }

        if (pending.Count == 0)
        {
            _logger.LogInformation("demo: all {Count} processes ready after {Seconds:F1} s", _children.Count, Stopwatch.GetElapsedTime(StartedAt).TotalSeconds);
        }
        else
        {
            _logger.LogWarning("demo: not ready after 120 s: {Names} (logs in {Dir})", string.Join(", ", pending.Select(c => c.Spec.Name)), _context.LogDirectory);
        }
    }

    /// <summary>Applies a new canary split: a Route revision through the control plane, and (static sidecars) new sidecar files.</summary>
    public async Task<long> SetSplitAsync(CanarySplit split, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(split);
        await _splitLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await _controlPlane.ApplyAsync(DemoResources.CanaryRoute(split), cancellationToken: cancellationToken).ConfigureAwait(false);
            _launcher.ApplySplit(split);
            Split = split;
            _logger.LogInformation("demo: {Service} split is now {Split} (revision {Revision})", DemoTopology.CanaryService, split, result.Revision);
            return result.Revision;
        }
        finally
        {
            _splitLock.Release();
        }
    }

    private static async Task<CanarySplit?> StoredSplitAsync(MeshControlPlaneClient controlPlane, CancellationToken cancellationToken)
    {
        var routes = await controlPlane.ListAsync("routes", cancellationToken).ConfigureAwait(false);
        var route = routes.FirstOrDefault(r => r.Namespace == StaticSidecarConfig.Namespace && r.Name == DemoTopology.CanaryService);
        if (route is null || !route.Spec.TryGetProperty("routes", out var rules) || rules.ValueKind != JsonValueKind.Array || rules.GetArrayLength() == 0
            || !rules[0].TryGetProperty("split", out var arms) || arms.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var weights = CanarySplit.Versions.ToDictionary(v => v, _ => 0, StringComparer.Ordinal);
        foreach (var arm in arms.EnumerateArray())
        {
            if (arm.TryGetProperty("version", out var v) && v.GetString() is { } version && weights.ContainsKey(version)
                && arm.TryGetProperty("weight", out var w) && w.TryGetInt32(out var weight))
            {
                weights[version] = weight;
            }
        }

        return weights.Values.Sum() == 100 ? new CanarySplit(weights) : null;
    }

    private static async Task<string> ProxyTokenAsync(DemoContext context, MeshControlPlaneClient controlPlane, CancellationToken cancellationToken)
    {
        // Scoped to the demo namespace (a proxy token may only get certificates, endpoints and watches inside its
        // scope); the file name changed with scopes, so a data dir from before gets a new, scoped token.
        var path = Path.Combine(context.Directory, "sidecar-token");
        if (File.Exists(path))
        {
            return (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
        }

        var created = await controlPlane.CreateTokenAsync("demo-sidecars", "proxy", "demo/*", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(path, created.Token, cancellationToken).ConfigureAwait(false);
        return created.Token;
    }

    /// <summary>Stops every child (the load first); runs once, later calls return at once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _logger.LogInformation("demo: stopping {Count} processes", _children.Count);

        // The load first (no new requests), then every service and sidecar at once.
        await Load.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_children.Where(c => c != Load).Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        _controlPlane.Dispose();
        _splitLock.Dispose();
    }
}
