using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mesh.ControlPlane.Access;
using Mesh.ControlPlane.Client;
using Mesh.ControlPlane.Client.Contracts;
using Mesh.ControlPlane.Resources;

namespace Mesh.ControlPlane.Identity;

/// <summary>
/// The mesh CA: signs proxies' CSRs into short-lived workload certificates whose only identity is the SPIFFE URI
/// SAN the CA sets. The identity asked for (the request's namespace and service, and the CSR's own SPIFFE URI SAN
/// when it carries one, which must agree) must lie within the caller's token scope. The root lives in the data
/// dir (owner-only key) or is supplied from outside.
/// </summary>
internal sealed class MeshCertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _root;
    private readonly ECDsa _key;
    private readonly CaOptions _options;
    private readonly TimeProvider _time;

    public MeshCertificateAuthority(CaOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        (_root, _key) = options.ExternalCertificateFile is { } certFile
            ? LoadExternal(certFile, options.ExternalKeyFile ?? throw new ArgumentException("an external CA certificate needs its key file too", nameof(options)))
            : LoadOrCreate(options.Directory, options.TrustDomain, time);
    }

    public X509Certificate2 Root => _root;

    public string RootPem => _root.ExportCertificatePem();

    public string TrustDomain => _options.TrustDomain;

    /// <summary>
    /// Signs for <paramref name="ttlSeconds"/> when given (a proxy may ask for a shorter life than the CA's
    /// default, never a longer one: the configured lifetime caps it). <paramref name="caller"/> (null: trusted
    /// in-process use) must be entitled to the identity, else <see cref="ScopeRefusedException"/>.
    /// </summary>
    public CertificateResponse Sign(string csrPem, string ns, string service, int? ttlSeconds = null, Caller? caller = null)
    {
        var errors = new List<ResourceError>();
        Names.Check(ns, "certificate", "namespace", errors);
        Names.Check(service, "certificate", "service", errors);
        if (ttlSeconds is < 2)
        {
            errors.Add(new ResourceError("certificate", "ttlSeconds", $"{ttlSeconds} is too short (at least 2 seconds)"));
        }
        if (errors.Count > 0)
        {
            throw new ResourceValidationException(errors);
        }

        System.Security.Cryptography.X509Certificates.CertificateRequest csr;
        try
        {
            // Loading checks the CSR's self-signature: the caller holds the private key of the key it asks us to certify.
            // Extensions are loaded only to read the identity the CSR asks for; none is copied into the certificate.
            csr = System.Security.Cryptography.X509Certificates.CertificateRequest.LoadSigningRequestPem(
                csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new ResourceValidationException([new ResourceError("certificate", "csr", $"not a valid PKCS#10 request (PEM): {ex.Message}")]);
        }

        var spiffe = SpiffeId.For(_options.TrustDomain, ns, service);
        var asked = csr.CertificateExtensions.Select(MeshCertificates.SpiffeIdOf).FirstOrDefault(id => id is not null);
        if (asked is not null && !string.Equals(asked, spiffe, StringComparison.Ordinal))
        {
            throw new ResourceValidationException([new ResourceError("certificate", "csr", $"asks for identity {asked}, but namespace '{ns}' and service '{service}' mean {spiffe}")]);
        }

        if (caller is not null)
        {
            ScopeCheck.Require(caller, ns, service, $"a certificate for {spiffe}");
        }
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(new X500DistinguishedName($"CN={service}.{ns}"), csr.PublicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(spiffe));
        request.CertificateExtensions.Add(san.Build(critical: true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_root, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        var now = _time.GetUtcNow();
        var lifetime = ttlSeconds is { } ttl && TimeSpan.FromSeconds(ttl) < _options.CertificateLifetime ? TimeSpan.FromSeconds(ttl) : _options.CertificateLifetime;

        // Backdated for clock skew between hosts, but never by much of a short certificate's life (rotation is at 2/3 of it).
        var notBefore = now - TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, lifetime.Ticks / 10));
        var notAfter = now + lifetime;
        if (notAfter > _root.NotAfter)
        {
            notAfter = _root.NotAfter;
        }

        using var certificate = request.Create(_root.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return new CertificateResponse(certificate.ExportCertificatePem(), RootPem, spiffe, notBefore, notAfter);
    }

    public void Dispose()
    {
        _root.Dispose();
        _key.Dispose();
    }

    private static (X509Certificate2, ECDsa) LoadOrCreate(string directory, string trustDomain, TimeProvider time)
    {
        var certPath = Path.Combine(directory, "root.crt");
        var keyPath = Path.Combine(directory, "root.key");
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            return LoadExternal(certPath, keyPath);
        }

        System.IO.Directory.CreateDirectory(directory);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest($"CN=Mesh root CA ({trustDomain}), O=Mesh", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        var root = request.CreateSelfSigned(now - TimeSpan.FromMinutes(5), now + TimeSpan.FromDays(3650));
        WriteOwnerOnly(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certPath, root.ExportCertificatePem());
        return (root, key);
    }

    private static (X509Certificate2, ECDsa) LoadExternal(string certFile, string keyFile)
    {
        var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certFile));
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(keyFile));
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            throw new InvalidOperationException($"{certFile} is not a CA certificate (basic constraints CA:true missing)");
        }

        return (certificate, key);
    }

    private static void WriteOwnerOnly(string path, string text)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, path, overwrite: true);
    }
}
