using System.Globalization;
using Mesh.ControlPlane;
using Mesh.ControlPlane.Distribution;
using Mesh.ControlPlane.Identity;

namespace Mesh.Web.Hosting;

/// <summary>The control plane's options from <c>mesh up</c>'s settings: proxies export telemetry to this Mesh's OTLP/HTTP port.</summary>
internal static class ControlPlaneSettings
{
    public static ControlPlaneOptions From(MeshSettings settings, MeshTokens tokens, string dataDir)
    {
        var host = settings.ListenAddress is "0.0.0.0" or "::" ? "127.0.0.1" : settings.ListenAddress;
        return new ControlPlaneOptions
        {
            Ca = new CaOptions
            {
                Directory = Path.Combine(dataDir, "ca"),
                ExternalCertificateFile = settings.CaCertFile,
                ExternalKeyFile = settings.CaKeyFile,
                TrustDomain = settings.TrustDomain,
            },
            Distribution = new DistributionOptions
            {
                OtlpEndpoint = settings.OtlpAdvertiseUrl is { } advertised
                    ? new Uri(advertised)
                    : new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{settings.OtlpHttpPort}")),
                OtlpToken = tokens.IngestToken,
                TrustDomain = settings.TrustDomain,
            },
        };
    }
}
