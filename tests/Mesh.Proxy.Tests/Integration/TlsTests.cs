using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Mesh.Proxy.Tests.Support;
using Mesh.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Mesh.Proxy.Tests.Integration;

/// <summary>TLS listeners from PEM files: HTTP/2 negotiated by ALPN, and mTLS with the peer's SPIFFE id in the span.</summary>
public sealed class TlsTests : IDisposable
{
    private const string Spiffe = "spiffe://mesh.test/ns/shop/sa/checkout";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("mesh-proxy-tls");
    private readonly X509Certificate2 _ca;
    private readonly X509Certificate2 _client;

    public TlsTests()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=mesh test ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(Path("ca.pem"), _ca.ExportCertificatePem());

        var server = Issue("CN=proxy", b => b.AddIpAddress(IPAddress.Loopback), "1.3.6.1.5.5.7.3.1");
        File.WriteAllText(Path("server.pem"), server.Certificate.ExportCertificatePem());
        File.WriteAllText(Path("server.key"), server.Key.ExportPkcs8PrivateKeyPem());
        server.Key.Dispose();
        server.Certificate.Dispose();

        var client = Issue("CN=checkout", b => b.AddUri(new Uri(Spiffe)), "1.3.6.1.5.5.7.3.2");
        _client = client.Certificate.CopyWithPrivateKey(client.Key);
        client.Key.Dispose();
        client.Certificate.Dispose();
    }

    private string Path(string name) => System.IO.Path.Combine(_dir.FullName, name);

    private (X509Certificate2 Certificate, ECDsa Key) Issue(string subject, Action<SubjectAlternativeNameBuilder> san, string usage)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        san(names);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        var serial = new byte[8];
        RandomNumberGenerator.Fill(serial);
        return (request.Create(_ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), serial), key);
    }

    private SocketsHttpHandler Handler(bool withClientCertificate) => new()
    {
        UseProxy = false,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, cert, _, _) => TrustedByTestCa(cert),
            ClientCertificates = withClientCertificate ? [_client] : null,
        },
    };

    private bool TrustedByTestCa(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }

    private static string Yaml(int upstream, string tls, string telemetry = "") => $$"""
        service: { name: shop-edge }
        listeners: [{ name: main, port: {port}, tls: { {{tls}} } }]
        routes: [{ name: main, cluster: backend }]
        clusters: [{ name: backend, endpoints: [{ address: 127.0.0.1, port: {{upstream}} }] }]
        {{telemetry}}
        """;

    private string ServerTls => $"certificateFile: \"{Path("server.pem")}\", keyFile: \"{Path("server.key")}\"";

    [Fact]
    public async Task Http2OverTls_AlpnNegotiatesH2_EndToEnd()
    {
        // The downstream speaks h2, so the proxy talks h2 (cleartext, prior knowledge) to the upstream too.
        await using var up = await Upstream.StartAsync(ctx => ctx.Response.WriteAsync($"upstream saw {ctx.Request.Protocol}"), HttpProtocols.Http2);
        await using var proxy = await TestProxy.StartAsync(Yaml(up.Port, ServerTls));

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, proxy.Port);
            await using var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "127.0.0.1",
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                RemoteCertificateValidationCallback = (_, cert, _, _) => TrustedByTestCa(cert),
            });
            Assert.Equal(SslApplicationProtocol.Http2, tls.NegotiatedApplicationProtocol);
        }

        using var client = new HttpClient(Handler(withClientCertificate: false));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{proxy.Port}/")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("upstream saw HTTP/2", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Mtls_ClientCertificateRequired_PeerIdentityInSpan()
    {
        await using var mesh = await MeshProcess.StartAsync();
        await using var up = await Upstream.TextAsync("ok");
        var telemetry = $"telemetry: {{ otlpEndpoint: \"{mesh.OtlpHttpUrl}\", token: {MeshProcess.IngestToken}, exportInterval: 100ms }}";
        await using var proxy = await TestProxy.StartAsync(Yaml(up.Port, $"{ServerTls}, caFile: \"{Path("ca.pem")}\"", telemetry));
        var url = $"https://127.0.0.1:{proxy.Port}/orders";

        using (var anonymous = new HttpClient(Handler(withClientCertificate: false)))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.GetAsync(url));
        }

        const string traceId = "6bf92f3577b34da6a3ce929d0e0e4738";
        using var client = new HttpClient(Handler(withClientCertificate: true));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var api = mesh.CreateApiClient();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement? span = null;
        while (span is null && DateTime.UtcNow < deadline)
        {
            using var r = await api.GetAsync($"/api/v1/traces/{traceId}");
            if (r.IsSuccessStatusCode && JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("spans") is { } spans && spans.GetArrayLength() > 0)
            {
                span = spans[0].Clone();
            }
            else
            {
                await Task.Delay(200);
            }
        }

        Assert.NotNull(span);
        var attributes = span.Value.GetProperty("attributes");
        Assert.Equal(Spiffe, attributes.GetProperty("mesh.tls.peer_identity").GetString());
        Assert.Equal("/orders", attributes.GetProperty("url.path").GetString());
    }

    public void Dispose()
    {
        _client.Dispose();
        _ca.Dispose();
        _dir.Delete(recursive: true);
    }
}
