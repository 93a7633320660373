using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Mesh.ControlPlane.Client;
using Mesh.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy.Tests.ControlPlane;

/// <summary>Peers for mTLS tests: certificates from a foreign CA, TLS servers with a chosen certificate, mTLS clients, span lookups.</summary>
internal static class MeshPeers
{
    /// <summary>A leaf for <paramref name="spiffeId"/> signed by a fresh CA that is not the mesh's.</summary>
    public static X509Certificate2 ForeignCertificate(string spiffeId)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Impostor root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=impostor", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(spiffeId));
        request.CertificateExtensions.Add(san.Build(critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var leaf = request.Create(root, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1), RandomNumberGenerator.GetBytes(8));
        return leaf.CopyWithPrivateKey(key);
    }

    /// <summary>A Kestrel HTTPS app serving <paramref name="certificate"/>, answering "impostor".</summary>
    public static async Task<(WebApplication App, int Port)> TlsAppAsync(X509Certificate2 certificate)
    {
        var port = FreePort.Next();
        var builder = Mesh.Proxy.QuietWebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o => o.UseHttps(certificate)));
        var app = builder.Build();
        app.Run(ctx => ctx.Response.WriteAsync("impostor"));
        await app.StartAsync();
        return (app, port);
    }

    /// <summary>
    /// A Kestrel mTLS app serving <paramref name="certificate"/> that requires a client certificate chaining to
    /// <paramref name="root"/> and records, per request, when it came and which client certificate its connection presented.
    /// </summary>
    public static async Task<(WebApplication App, int Port, ClientCertificateLog Log)> RecordingMtlsAppAsync(X509Certificate2 certificate, X509Certificate2 root)
    {
        var port = FreePort.Next();
        var log = new ClientCertificateLog();
        var builder = Mesh.Proxy.QuietWebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o => o.UseHttps(https =>
        {
            https.ServerCertificate = certificate;
            https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (client, _, _) => MeshCertificates.Verify(client, root, DateTimeOffset.UtcNow).Valid;
        })));
        var app = builder.Build();
        app.Run(ctx =>
        {
            log.Add(ctx.Connection.ClientCertificate!.Thumbprint, ctx.Connection.Id);
            return ctx.Response.WriteAsync("recorded");
        });
        await app.StartAsync();
        return (app, port, log);
    }

    /// <summary>A fresh connection per client: presents <paramref name="certificate"/>, checks the server is <paramref name="expectedServer"/> under <paramref name="root"/>.</summary>
    public static HttpClient MtlsClient(X509Certificate2 certificate, X509Certificate2? root, string? expectedServer) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.Zero,
        SslOptions =
        {
            ClientCertificates = [certificate],
            RemoteCertificateValidationCallback = (_, server, _, _) =>
            {
                if (root is null)
                {
                    return true;
                }

                using var peer = X509CertificateLoader.LoadCertificate(server!.GetRawCertData());
                return MeshCertificates.Verify(peer, root, DateTimeOffset.UtcNow, expectedServer).Valid;
            },
        },
    })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Polls the ingest API until the trace has a span of <paramref name="kind"/>.</summary>
    public static async Task<JsonElement> SpanAsync(MeshProcess mesh, string traceId, string kind)
    {
        using var api = mesh.CreateApiClient();
        var last = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            using var response = await api.GetAsync($"/api/v1/traces/{traceId}");
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                foreach (var span in JsonDocument.Parse(last).RootElement.GetProperty("spans").EnumerateArray())
                {
                    if (span.GetProperty("kind").GetString() == kind)
                    {
                        return span.Clone();
                    }
                }
            }
        }

        throw new TimeoutException($"no {kind} span in trace {traceId}: {last}");
    }

    /// <summary>Polls the ingest API until the trace has an access log of <paramref name="direction"/> (inbound / outbound).</summary>
    public static async Task<JsonElement> LogAsync(MeshProcess mesh, string traceId, string direction)
    {
        using var api = mesh.CreateApiClient();
        var last = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            using var response = await api.GetAsync($"/api/v1/logs?traceId={traceId}");
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                foreach (var log in JsonDocument.Parse(last).RootElement.GetProperty("logs").EnumerateArray())
                {
                    if (log.TryGetProperty("attributes", out var a) && a.TryGetProperty("mesh.direction", out var d) && d.GetString() == direction)
                    {
                        return log.Clone();
                    }
                }
            }
        }

        throw new TimeoutException($"no {direction} access log in trace {traceId}: {last}");
    }
}
