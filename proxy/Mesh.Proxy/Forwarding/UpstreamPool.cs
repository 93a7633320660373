using System.Globalization;
using System.Net;
using System.Net.Security;
using Mesh.Proxy.Admin;
using Mesh.Proxy.Config;
using Mesh.Proxy.Identity;

namespace Mesh.Proxy.Forwarding;

/// <summary>
/// The connection pool toward one cluster: a SocketsHttpHandler tuned for proxying (no cookies, redirects,
/// decompression or system proxy; several HTTP/2 connections when streams run out; our own trace headers).
/// A mesh-mTLS pool is renewed when the workload certificate rotates: new requests get a fresh handler (so every
/// new connection presents the new certificate), and the old handler is retired after a drain period: requests
/// that already picked it finish on their connection, then its connections close.
/// </summary>
internal sealed class UpstreamPool : IDisposable
{
    /// <summary>How long a replaced handler keeps serving what already picked it before its connections close.</summary>
    internal static readonly TimeSpan Drain = TimeSpan.FromSeconds(10);

    private readonly ClusterConfig _cluster;
    private readonly WorkloadIdentity? _identity;
    private readonly TimeProvider _time;
    private readonly ProxyCounters _counters;
    private readonly Lock _gate = new();
    private volatile HttpMessageInvoker _invoker;
    private bool _disposed;

    public UpstreamPool(ClusterConfig cluster, WorkloadIdentity? identity, TimeProvider time, ProxyCounters counters)
    {
        if (cluster.Identity is not null && identity is null)
        {
            throw new InvalidOperationException($"cluster '{cluster.Name}' expects mesh mTLS but the proxy has no workload identity");
        }

        _cluster = cluster;
        _identity = identity;
        _time = time;
        _counters = counters;
        Key = KeyOf(cluster);
        _invoker = CreateInvoker();
    }

    /// <summary>Connection settings the pool was built with; a reload keeps the pool when they are the same.</summary>
    public string Key { get; }

    /// <summary>Whether connections present the workload certificate (and so must be renewed when it rotates).</summary>
    public bool UsesWorkloadCertificate => _cluster.Identity is not null;

    /// <summary>The handler new requests go through. Read it once per request.</summary>
    public HttpMessageInvoker Invoker => _invoker;

    public static string KeyOf(ClusterConfig c) => string.Create(CultureInfo.InvariantCulture,
        $"{c.ConnectTimeout.Ticks}|{c.IdleTimeout.Ticks}|{c.Tls?.InsecureSkipVerify}|{c.Tls?.CaFile}|{c.Tls?.CertificateFile}|{c.Identity}");

    /// <summary>Swaps in a fresh handler; the previous one is disposed after <see cref="Drain"/>.</summary>
    public void Renew()
    {
        HttpMessageInvoker old;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            old = _invoker;
            _invoker = CreateInvoker();
        }

        _counters.UpstreamPoolRenewals.Increment();
        Retire(old, Drain);
    }

    /// <summary>Retires the pool (after <paramref name="after"/>, for requests still using it).</summary>
    public void Retire(TimeSpan after)
    {
        lock (_gate)
        {
            _disposed = true;
        }

        Retire(_invoker, after);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _invoker.Dispose();
    }

    private void Retire(HttpMessageInvoker invoker, TimeSpan after)
    {
        ITimer? timer = null;
        timer = _time.CreateTimer(_ =>
        {
            invoker.Dispose();
            timer?.Dispose();
        }, null, after, Timeout.InfiniteTimeSpan);
    }

    private HttpMessageInvoker CreateInvoker()
    {
        var cluster = _cluster;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = cluster.ConnectTimeout,
            PooledConnectionIdleTimeout = cluster.IdleTimeout,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = int.MaxValue,

            // The proxy writes traceparent itself (its own span as parent); the runtime must not add another.
            ActivityHeadersPropagator = null,
        };
        if (cluster.Identity is { } expected)
        {
            // Each handshake reads the identity's current certificate; Renew makes sure no connection outlives it for long.
            handler.ConnectCallback = new MeshTlsConnector(_identity!, expected, _time, _counters).ConnectAsync;
        }
        else if (cluster.Tls is { } tls)
        {
#pragma warning disable CA5359 // accepting any certificate is an explicit per-cluster opt-in (test upstreams)
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                RemoteCertificateValidationCallback = tls.InsecureSkipVerify ? AcceptAny : null,
            };
#pragma warning restore CA5359
        }

        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    // Opt-in per cluster (insecureSkipVerify), for test upstreams with throwaway certificates.
#pragma warning disable CA5359
    private static bool AcceptAny(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate, System.Security.Cryptography.X509Certificates.X509Chain? chain, SslPolicyErrors errors) => true;
#pragma warning restore CA5359
}
