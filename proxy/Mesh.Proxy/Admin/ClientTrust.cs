using System.Security.Cryptography.X509Certificates;

namespace Mesh.Proxy.Admin;

/// <summary>mTLS: a client certificate is trusted only when it chains to the listener's own CA bundle (not the system store).</summary>
internal static class ClientTrust
{
    public static bool Verify(X509Certificate2 certificate, X509Certificate2Collection roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
