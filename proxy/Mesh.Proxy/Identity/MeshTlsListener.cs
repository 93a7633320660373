using System.Buffers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mesh.ControlPlane.Client;
using Mesh.Proxy.Admin;
using Mesh.Proxy.Config;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Mesh.Proxy.Identity;

/// <summary>
/// Mesh mTLS on an inbound listener, one port for both kinds of caller (as Istio's PERMISSIVE does): the first
/// byte of a connection tells a TLS ClientHello (record type 22) from plaintext HTTP. TLS connections get the
/// current workload certificate and must present a client certificate chaining to the mesh root with a SPIFFE id;
/// plaintext ones pass in PERMISSIVE and DISABLED, and are answered 403 and closed in STRICT. The mode is read per
/// connection, so a namespace switching modes takes effect without a restart.
/// </summary>
internal sealed class MeshTlsListener(WorkloadIdentity identity, Func<MtlsMode> mode, TimeProvider time, ProxyCounters counters)
{
    private const byte TlsHandshakeRecord = 0x16;
    private static readonly byte[] StrictRefusal = Encoding.ASCII.GetBytes(
        "HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain; charset=utf-8\r\nx-mesh-error: mtls-required\r\nconnection: close\r\ncontent-length: 70\r\n\r\n"
        + "mesh: this listener is STRICT mTLS; plaintext connections are refused\n");

    private ConnectionDelegate? _plaintext;

    /// <summary>Sniff, then TLS (Kestrel's HTTPS middleware, given per-connection options) or straight to HTTP.</summary>
    public void Configure(ListenOptions listen)
    {
        listen.Use(tls => context => OnConnectionAsync(context, tls));
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(ServerOptions()),
            HandshakeTimeout = TimeSpan.FromSeconds(10),
        });

        // Runs first when Kestrel builds the chain (innermost): keeps the HTTP delegate for plaintext connections.
        listen.Use(http =>
        {
            _plaintext = http;
            return http;
        });
    }

    private SslServerAuthenticationOptions ServerOptions()
    {
        var current = identity.Current;
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = current.Context,
            ClientCertificateRequired = true,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    counters.MtlsClientRefused.Increment();
                    return false;
                }

                using var peer = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                var verdict = MeshCertificates.Verify(peer, current.TrustRoot, time.GetUtcNow());
                if (!verdict.Valid)
                {
                    counters.MtlsClientRefused.Increment();
                }

                return verdict.Valid;
            },
        };
    }

    private async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate tls)
    {
        var input = connection.Transport.Input;
        var result = await input.ReadAsync(connection.ConnectionClosed).ConfigureAwait(false);
        if (result.Buffer.IsEmpty)
        {
            input.AdvanceTo(result.Buffer.Start);
            return;
        }

        var first = result.Buffer.FirstSpan[0];

        // Nothing consumed or examined: the next reader (TLS or HTTP) sees the connection from its first byte.
        input.AdvanceTo(result.Buffer.Start);
        if (first == TlsHandshakeRecord)
        {
            await tls(connection).ConfigureAwait(false);
            return;
        }

        if (mode() == MtlsMode.Strict)
        {
            counters.MtlsPlaintextRefused.Increment();
            await connection.Transport.Output.WriteAsync(StrictRefusal, connection.ConnectionClosed).ConfigureAwait(false);
            await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
            return;
        }

        await _plaintext!(connection).ConfigureAwait(false);
    }
}
