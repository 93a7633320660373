using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Mesh.ControlPlane.Client;
using Mesh.Proxy.Admin;

namespace Mesh.Proxy.Identity;

/// <summary>
/// Outbound mesh mTLS, as the connection pool's ConnectCallback: TCP, then TLS with the proxy's current workload
/// certificate, accepting the server only when it chains to the mesh root and proves exactly the cluster's
/// identity. A refusal surfaces as a connect failure carrying the reason (a <see cref="MeshTlsException"/>).
/// </summary>
internal sealed class MeshTlsConnector(WorkloadIdentity identity, string expectedIdentity, TimeProvider time, ProxyCounters counters)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var current = identity.Current;
        string? refusal = null;
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = context.DnsEndPoint.Host,
            ClientCertificateContext = current.Context,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,

            // The pool asks for a connection for one HTTP version at a time: offer exactly that one.
            ApplicationProtocols = [context.InitialRequestMessage.Version.Major >= 2 ? SslApplicationProtocol.Http2 : SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    refusal = "the server presented no certificate";
                    return false;
                }

                using var peer = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                var verdict = MeshCertificates.Verify(peer, current.TrustRoot, time.GetUtcNow(), expectedIdentity);
                refusal = verdict.Error;
                return verdict.Valid;
            },
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            if (refusal is not null)
            {
                counters.MtlsServerRefused.Increment();
                throw new MeshTlsException($"mTLS refused {context.DnsEndPoint.Host}:{context.DnsEndPoint.Port}: {refusal}", ex);
            }

            throw new MeshTlsException($"mTLS handshake with {context.DnsEndPoint.Host}:{context.DnsEndPoint.Port} failed: {ex.Message}", ex);
        }
    }
}
