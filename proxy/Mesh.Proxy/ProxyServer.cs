using System.Net;
using System.Security.Cryptography.X509Certificates;
using Mesh.Proxy.Admin;
using Mesh.Proxy.Config;
using HttpProtocol = Mesh.Proxy.Config.HttpProtocol;
using Mesh.Proxy.Configuration;
using Mesh.Proxy.Identity;
using Mesh.Proxy.Pipeline;
using Mesh.Proxy.Runtime;
using Mesh.Proxy.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy;

/// <summary>
/// A running proxy: Kestrel listeners feeding the stage pipeline, an admin port, the OTLP exporter, and the
/// config source whose snapshots are swapped in atomically. Listener addresses are bound once at start; a
/// reload changes routes, clusters and policies live (a listener change needs a restart and is logged).
/// </summary>
public sealed partial class ProxyServer : IAsyncDisposable
{
    private readonly IProxyConfigSource _source;
    private readonly ProxyRuntime _runtime;
    private readonly ProxyCounters _counters = new();
    private readonly OtlpExporter _exporter;
    private readonly ProxyPipeline _pipeline;
    private readonly ILogger _logger;
    private readonly Dictionary<int, string> _listenerByPort = [];
    private readonly int _adminPort;
    private readonly WorkloadIdentity? _identity;
    private WebApplication? _app;

    private ProxyServer(IProxyConfigSource source, ProxyConfig initial, ProxyEnvironment env, WorkloadIdentity? identity, ILogger logger)
    {
        _source = source;
        _logger = logger;
        _identity = identity;
        _runtime = new ProxyRuntime(env, _counters, identity);
        _runtime.Apply(initial);
        _exporter = new OtlpExporter(() => _runtime.Current?.Config, initial.Telemetry.QueueCapacity, env.Time, logger);
        _pipeline = new ProxyPipeline(_exporter, _counters, env);
        _adminPort = initial.Admin?.Port ?? 0;
        foreach (var l in initial.Listeners)
        {
            _listenerByPort[l.Port] = l.Name;
        }
    }

    /// <summary>Whether the socket runtime completes I/O inline on its epoll threads (see StartKestrelAsync).</summary>
    internal static bool InlineSocketCompletions { get; } = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1";

    /// <summary>The snapshot in force (what /config_dump shows).</summary>
    public ProxyConfig Config => _runtime.Current!.Config;

    /// <summary>Exporter counters in one line (benchmarks print it).</summary>
    internal string TelemetryStats => $"received {_exporter.Received.Value}, dropped {_exporter.Dropped.Value}, spans {_exporter.ExportedSpans.Value}, logs {_exporter.ExportedLogs.Value}, failures {_exporter.ExportFailures.Value}";

    internal ProxyCounters Counters => _counters;

    /// <summary>The mesh identity (rotating workload certificate) used for mTLS, when the proxy has one.</summary>
    public WorkloadIdentity? Identity => _identity;

    /// <summary>Why the last reload was refused (null after a successful one): what a control-plane agent NACKs with.</summary>
    public string? LastReloadError { get; private set; }

    /// <summary>
    /// Loads the first snapshot (throws <see cref="ProxyConfigException"/> naming bad fields), binds every listener
    /// and the admin port, and starts watching the source for new snapshots. Mesh mTLS uses <paramref name="identity"/>
    /// (control-plane mode, rotated in memory) or the certificate files of the config's <c>mtls</c> section.
    /// </summary>
    public static async Task<ProxyServer> StartAsync(IProxyConfigSource source, ProxyEnvironment? environment = null, ILoggerFactory? loggerFactory = null, WorkloadIdentity? identity = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);

        // Upstream pools speak HTTP/1.1 and HTTP/2 only (exact version policy): without this switch the first
        // SocketsHttpHandler maps System.Net.Quic and its native library into every sidecar for nothing.
        AppContext.SetSwitch("System.Net.SocketsHttpHandler.Http3Support", false);
        var initial = source.Load();
        identity ??= initial.Mtls switch
        {
            { CertificateFile: { } cert, KeyFile: { } key, CaFile: { } ca } => WorkloadIdentity.FromFiles(cert, key, ca),
            null => null,
            _ => throw new ProxyConfigException([new ConfigError("mtls", "no certificate: set certificateFile, keyFile and caFile, or run under the control plane (mesh proxy --control-plane)")]),
        };
        var logger = (loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("Mesh.Proxy");
        var server = new ProxyServer(source, initial, environment ?? new ProxyEnvironment(), identity, logger);
        await server.StartKestrelAsync(initial, loggerFactory, cancellationToken).ConfigureAwait(false);
        source.Changed += server.Reload;
        return server;
    }

    /// <summary>
    /// Runtime weight override for one endpoint ("address:port") of a cluster — the seam for analytics feedback.
    /// 0 clears the override (back to the configured weight). False when no such endpoint exists.
    /// </summary>
    public bool SetEndpointWeight(string cluster, string endpoint, int weight)
    {
        if (weight is < 0 or > 1000 || _runtime.Current?.Clusters.GetValueOrDefault(cluster) is not { } state)
        {
            return false;
        }

        var target = state.Endpoints.FirstOrDefault(e => e.Key == endpoint);
        target?.SetWeightOverride(weight);
        return target is not null;
    }

    private void Reload()
    {
        try
        {
            var next = _source.Load();
            var bound = Config.Listeners.Select(l => (l.Name, l.Address, l.Port, l.Protocol)).ToHashSet();
            if (!next.Listeners.Select(l => (l.Name, l.Address, l.Port, l.Protocol)).ToHashSet().SetEquals(bound))
            {
                _logger.LogWarning("config reload: listener addresses changed; they take effect after a restart (routes and clusters apply now)");
            }

            _runtime.Apply(next);
            LastReloadError = null;
            _counters.ConfigReloads.Increment();
            _logger.LogInformation("config reloaded (version '{Version}')", next.Version);
        }
        catch (ProxyConfigException ex)
        {
            _counters.ConfigReloadFailures.Increment();
            LastReloadError = ex.Message;
            _logger.LogError("config reload rejected; keeping the running config:\n{Errors}", ex.Message);
        }
    }

    private async Task StartKestrelAsync(ProxyConfig config, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var builder = QuietWebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // With the runtime's inline socket completions on (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1, read once
        // at process start), Kestrel runs the request on the I/O thread that read it too, instead of a thread-pool
        // hop per read: the proxy's request path never blocks, so nothing else waits behind it.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = InlineSocketCompletions);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // Bodies stream through: no size cap here (the proxy never holds a body), only on header blocks.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MaxRequestHeadersTotalSize = config.Listeners.Max(l => l.MaxRequestHeadersBytes);
            kestrel.Limits.Http2.MaxRequestHeaderFieldSize = Math.Max(16 * 1024, kestrel.Limits.MaxRequestHeadersTotalSize);
            foreach (var listener in config.Listeners)
            {
                kestrel.Listen(IPAddress.Parse(listener.Address), listener.Port, o => ConfigureListener(o, listener));
            }

            if (config.Admin is { } admin)
            {
                kestrel.Listen(IPAddress.Parse(admin.Address), admin.Port, o => o.Protocols = HttpProtocols.Http1);
            }
        });

        var app = builder.Build();
        app.Run(HandleAsync);
        _app = app;
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    private void ConfigureListener(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions o, ListenerConfig listener)
    {
        if (listener is { Mode: ListenerMode.Inbound, Tls: null } && _identity is not null)
        {
            // Mesh mTLS (STRICT / PERMISSIVE by the snapshot in force); HTTP/2 by ALPN on TLS, HTTP/1.1 on plaintext.
            o.Protocols = HttpProtocols.Http1AndHttp2;
            new MeshTlsListener(_identity, () => _runtime.Current?.Config.Mtls?.Mode ?? MtlsMode.Disabled, _runtime.Environment.Time, _counters).Configure(o);
            return;
        }

        o.Protocols = listener.Protocol switch
        {
            HttpProtocol.Http1 => HttpProtocols.Http1,
            HttpProtocol.Http2 => HttpProtocols.Http2,
            _ when listener.Tls is null => HttpProtocols.Http1, // cleartext HTTP/2 needs prior knowledge: protocol http2
            _ => HttpProtocols.Http1AndHttp2,
        };
        if (listener.Tls is { } tls)
        {
            var certificate = X509Certificate2.CreateFromPemFile(tls.CertificateFile!, tls.KeyFile);
            X509Certificate2Collection? roots = null;
            if (tls.CaFile is not null)
            {
                roots = [];
                roots.ImportFromPemFile(tls.CaFile);
            }

            o.UseHttps(https =>
            {
                https.ServerCertificate = certificate;
                if (roots is not null)
                {
                    https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                    https.ClientCertificateValidation = (cert, _, _) => ClientTrust.Verify(cert, roots);
                }
            });
        }
    }

    private Task HandleAsync(HttpContext http)
    {
        var snapshot = _runtime.Current!;
        var port = http.Connection.LocalPort;
        if (port == _adminPort && _adminPort != 0)
        {
            return AdminAsync(http, snapshot);
        }

        var name = _listenerByPort.GetValueOrDefault(port);
        var listeners = snapshot.Config.Listeners;
        var listener = listeners[0];
        for (var i = 0; i < listeners.Count; i++)
        {
            if (listeners[i].Name == name)
            {
                listener = listeners[i];
                break;
            }
        }

        var context = new ProxyContext(http, snapshot, listener, _runtime.Environment.Time.GetTimestamp())
        {
            PeerIdentity = TlsIdentity.Of(http.Connection.ClientCertificate),
        };
        return _pipeline.InvokeAsync(context).AsTask();
    }

    public async ValueTask DisposeAsync()
    {
        _source.Changed -= Reload;
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        await _exporter.DisposeAsync().ConfigureAwait(false);
        _runtime.Dispose();
    }
}
