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
/// </summary>
internal static class UpstreamPool
{
    public static string Key(ClusterConfig c) => string.Create(CultureInfo.InvariantCulture,
        $"{c.ConnectTimeout.Ticks}|{c.IdleTimeout.Ticks}|{c.Tls?.InsecureSkipVerify}|{c.Tls?.CaFile}|{c.Tls?.CertificateFile}|{c.Identity}");

    /// <summary>
    /// A cluster with an <see cref="ClusterConfig.Identity"/> connects through mesh mTLS (<paramref name="identity"/>
    /// supplies the current certificate per connection, so rotation needs no new pool).
    /// </summary>
    public static HttpMessageInvoker Create(ClusterConfig cluster, WorkloadIdentity? identity, TimeProvider time, ProxyCounters counters)
    {
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
            handler.ConnectCallback = new MeshTlsConnector(
                identity ?? throw new InvalidOperationException($"cluster '{cluster.Name}' expects mesh mTLS but the proxy has no workload identity"),
                expected, time, counters).ConnectAsync;
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
