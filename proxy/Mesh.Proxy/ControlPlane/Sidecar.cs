using System.Globalization;
using Mesh.ControlPlane.Client;
using Mesh.ControlPlane.Client.Contracts;
using Mesh.Proxy.Config;
using Mesh.Proxy.Identity;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy.ControlPlane;

/// <summary>
/// A proxy run by the control plane: it gets its workload certificate from the mesh CA (a fresh key and CSR),
/// opens the watch and applies every snapshot live (ACK, or NACK with the reason), registers its inbound
/// endpoint under a renewed lease, and rotates its certificate at two thirds of its life. When the control plane
/// is unreachable it keeps serving with the last good snapshot and certificate, and resyncs on reconnect.
/// </summary>
public sealed partial class Sidecar : IAsyncDisposable
{
    private readonly SidecarOptions _options;
    private readonly MeshControlPlaneClient _client;
    private readonly ControlPlaneConfigSource _source = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<ProxyConfig> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ProxyServer> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _loops = [];
    private ProxyAgent _agent = null!;
    private WorkloadIdentity _identity = null!;
    private ProxyServer? _server;
    private string? _leaseId;

    private Sidecar(SidecarOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        ProxyId = options.ProxyId ?? string.Create(CultureInfo.InvariantCulture, $"{options.Service}-{options.Version ?? "v"}-{Environment.MachineName}-{Environment.ProcessId}-{options.InboundPort}");
        _client = new MeshControlPlaneClient(options.ControlPlane, options.Token) { RequestTimeout = TimeSpan.FromSeconds(5) };
    }

    public string ProxyId { get; }

    /// <summary>The running proxy (after <see cref="StartAsync"/>).</summary>
    public ProxyServer Server => _server!;

    public WorkloadIdentity Identity => _identity;

    /// <summary>The snapshot version last applied.</summary>
    public long AppliedVersion => _agent.AppliedVersion;

    /// <summary>How many times the watch was (re)opened.</summary>
    public int WatchConnects => _agent.Connects;

    /// <summary>Certificate, first snapshot, listeners, then registration: returns once the proxy serves and is discoverable.</summary>
    public static async Task<Sidecar> StartAsync(SidecarOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var logger = (loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("Mesh.Proxy.Sidecar");
        var sidecar = new Sidecar(options, time ?? TimeProvider.System, logger);
        try
        {
            await sidecar.StartCoreAsync(loggerFactory, cancellationToken).ConfigureAwait(false);
            return sidecar;
        }
        catch
        {
            await sidecar.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartCoreAsync(ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var certificate = await UntilAsync(ct => IssueAsync(ct), "get a workload certificate", linked.Token).ConfigureAwait(false);
        _identity = new WorkloadIdentity(certificate);
        _logger.LogInformation("workload certificate {Identity} valid until {NotAfter:O}", certificate.SpiffeId, certificate.NotAfter);

        var node = new ProxyNode
        {
            Id = ProxyId,
            Namespace = _options.Namespace,
            Service = _options.Service,
            Version = _options.Version,
            InboundPort = _options.InboundPort,
            OutboundPort = _options.OutboundPort,
            AppAddress = _options.AppAddress,
            AppPort = _options.AppPort,
        };
        _agent = new ProxyAgent(_client, node, ApplyAsync, _time);
        _loops.Add(_agent.RunAsync(_stop.Token));

        var first = await _first.Task.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            _source.Publish(first);
            _server = await ProxyServer.StartAsync(_source, new ProxyEnvironment { Time = _time }, loggerFactory, _identity, linked.Token).ConfigureAwait(false);
            _started.TrySetResult(_server);
        }
        catch (Exception ex)
        {
            _started.TrySetException(ex);
            throw;
        }

        await UntilAsync(RegisterAsync, "register the inbound endpoint", linked.Token).ConfigureAwait(false);
        _loops.Add(RenewLoopAsync(_stop.Token));
        _loops.Add(RotationLoopAsync(_stop.Token));
    }

    /// <summary>
    /// The agent's apply step. Listeners bind on <see cref="SidecarOptions.Address"/> and the admin port comes from
    /// the command line; everything else is the control plane's. A reload the proxy refuses throws, so the agent NACKs.
    /// </summary>
    private async ValueTask ApplyAsync(ProxyConfig config, ProxySnapshot snapshot, CancellationToken cancellationToken)
    {
        config = config with
        {
            Listeners = [.. config.Listeners.Select(l => l with { Address = _options.Address })],
            Admin = _options.AdminPort > 0 ? new AdminConfig { Address = _options.Address, Port = _options.AdminPort } : null,
        };
        if (!_started.Task.IsCompleted)
        {
            _first.TrySetResult(config);
            await _started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        _source.Publish(config);
        if (_server!.LastReloadError is { } error)
        {
            throw new ProxyConfigException(error);
        }

        _logger.LogInformation("applied snapshot {Version} (config revision {Revision})", snapshot.Version, snapshot.ConfigRevision);
    }

    private async Task<WorkloadCertificate> IssueAsync(CancellationToken cancellationToken)
    {
        var (certificate, root) = await MeshCertificates.RequestWithRootAsync(_client, _options.Namespace, _options.Service, _options.CertificateTtl, cancellationToken).ConfigureAwait(false);
        return new WorkloadCertificate(certificate, root);
    }

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var lease = await _client.RegisterAsync(
            new RegisterEndpointRequest
            {
                Namespace = _options.Namespace,
                Service = _options.Service,
                Address = _options.AdvertiseAddress ?? (_options.Address is "0.0.0.0" or "::" ? "127.0.0.1" : _options.Address),
                Port = _options.InboundPort,
                Version = _options.Version,
                ProxyId = ProxyId,
                TtlSeconds = Math.Max(1, (int)_options.LeaseTtl.TotalSeconds),
            },
            cancellationToken).ConfigureAwait(false);
        _leaseId = lease.Id;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _first.TrySetCanceled();
        _started.TrySetCanceled();
        foreach (var loop in _loops)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (_leaseId is { } id)
        {
            // Leave the mesh at once rather than when the lease lapses; best effort (the control plane may be down).
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _client.DeregisterAsync(id, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or MeshApiException or OperationCanceledException)
            {
            }
        }

        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        _source.Dispose();
        _client.Dispose();
        _stop.Dispose();
    }
}
