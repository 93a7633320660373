using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mesh.ControlPlane.Client.Contracts;

namespace Mesh.ControlPlane.Client;

/// <summary>
/// Workload certificates for proxies: a fresh P-256 key and CSR per rotation (the key never leaves the proxy),
/// and verification of a peer against the mesh trust root and an expected SPIFFE identity.
/// </summary>
public static class MeshCertificates
{
    /// <summary>Creates a key, sends its CSR, and returns the signed certificate with its private key attached.</summary>
    public static async Task<X509Certificate2> RequestAsync(MeshControlPlaneClient client, string ns, string service, CancellationToken cancellationToken = default) =>
        (await RequestWithRootAsync(client, ns, service, null, cancellationToken).ConfigureAwait(false)).Certificate;

    /// <summary>
    /// As <see cref="RequestAsync"/>, also returning the trust root the CA answered with; <paramref name="ttl"/>
    /// asks for a shorter lifetime than the CA's default.
    /// </summary>
    public static async Task<(X509Certificate2 Certificate, X509Certificate2 TrustRoot)> RequestWithRootAsync(MeshControlPlaneClient client, string ns, string service, TimeSpan? ttl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new System.Security.Cryptography.X509Certificates.CertificateRequest($"CN={service}.{ns}", key, HashAlgorithmName.SHA256);
        var ttlSeconds = ttl is { } t ? (int)Math.Ceiling(t.TotalSeconds) : (int?)null;
        var response = await client.SignAsync(new Contracts.CertificateRequest(csr.CreateSigningRequestPem(), ns, service, ttlSeconds), cancellationToken).ConfigureAwait(false);
        using var certificate = X509Certificate2.CreateFromPem(response.Certificate);
        return (certificate.CopyWithPrivateKey(key), X509Certificate2.CreateFromPem(response.TrustRoot));
    }

    /// <summary>When a certificate should be replaced: at two thirds of its lifetime.</summary>
    public static DateTimeOffset RotationDue(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        return notBefore + ((notAfter - notBefore) * 2 / 3);
    }

    /// <summary>The SPIFFE URI SAN of a certificate, or null.</summary>
    public static string? SpiffeIdOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.Extensions.Select(SpiffeIdOf).FirstOrDefault(id => id is not null);
    }

    /// <summary>The SPIFFE URI in a subjectAltName extension (of a certificate or a CSR), or null.</summary>
    public static string? SpiffeIdOf(X509Extension extension)
    {
        ArgumentNullException.ThrowIfNull(extension);
        if (extension.Oid?.Value != "2.5.29.17")
        {
            return null;
        }

        // GeneralNames ::= SEQUENCE OF GeneralName; a URI is [6] IA5String (RFC 5280 4.2.1.6).
        try
        {
            var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
            while (names.HasData)
            {
                if (names.PeekTag() == uriTag)
                {
                    var uri = names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag);
                    if (uri.StartsWith("spiffe://", StringComparison.Ordinal))
                    {
                        return uri;
                    }
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
        }

        return null;
    }

    /// <summary>
    /// Verifies <paramref name="peer"/> chains to <paramref name="trustRoot"/> alone (no system store) at
    /// <paramref name="now"/>, and, when <paramref name="expectedIdentity"/> is given, that it carries exactly that
    /// SPIFFE id. Returns the peer's identity, or an error saying why it was refused.
    /// </summary>
    public static PeerVerification Verify(X509Certificate2 peer, X509Certificate2 trustRoot, DateTimeOffset now, string? expectedIdentity = null)
    {
        ArgumentNullException.ThrowIfNull(peer);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trustRoot);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (!chain.Build(peer))
        {
            var reasons = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            return new PeerVerification(false, null, $"certificate does not chain to the mesh trust root: {reasons}");
        }

        var identity = SpiffeIdOf(peer);
        if (identity is null)
        {
            return new PeerVerification(false, null, "certificate has no SPIFFE URI SAN");
        }

        return expectedIdentity is not null && !string.Equals(identity, expectedIdentity, StringComparison.Ordinal)
            ? new PeerVerification(false, identity, $"peer identity {identity} is not the expected {expectedIdentity}")
            : new PeerVerification(true, identity, null);
    }
}
