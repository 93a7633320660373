using System.Globalization;

namespace Mesh.Web.Hosting;

/// <summary>What <c>mesh up</c> prints once every port is listening: where to go and how to get in.</summary>
internal static class Banner
{
    public static string Format(MeshSettings settings, MeshTokens tokens, string dataDir, string storeDescription, string metadataDescription)
    {
        var host = settings.ListenAddress is "0.0.0.0" or "::" ? "127.0.0.1" : settings.ListenAddress;
        var url = string.Create(CultureInfo.InvariantCulture, $"http://{host}:{settings.Port}");
        return string.Join(
            Environment.NewLine,
            string.Empty,
            "Mesh is running.",
            $"  Open:          {url}",
            $"  Sign in:       {url}/?token={Uri.EscapeDataString(tokens.AdminToken)}  (one click: stores the admin token in the browser)",
            $"  API:           {url}/api/v1  (Authorization: Bearer <admin token>)",
            string.Create(CultureInfo.InvariantCulture, $"  OTLP/gRPC:     {host}:{settings.OtlpGrpcPort}"),
            string.Create(CultureInfo.InvariantCulture, $"  OTLP/HTTP:     http://{host}:{settings.OtlpHttpPort}/v1/traces, /v1/logs"),
            $"  Metrics:       {url}/metrics",
            $"  Store:         {storeDescription}",
            $"  Metadata:      {metadataDescription}",
            $"  Data dir:      {dataDir}",
            $"  Ingest token:  {tokens.IngestToken}",
            tokens.Generated ? $"  Admin token:   {tokens.AdminToken}" : $"  Admin token:   (in {Path.Combine(dataDir, MeshTokens.FileName)}, or as given)",
            $"  Control plane: {url}/api/v1/config  (mesh apply|get|describe|rollback --server {url})",
            tokens.Generated ? $"  (tokens generated on this first run and saved in {Path.Combine(dataDir, MeshTokens.FileName)})" : string.Empty,
            "Press Ctrl+C to stop.",
            string.Empty);
    }
}
