using System.Globalization;

namespace Mesh.Web.Hosting;

/// <summary>What <c>mesh up</c> prints once every port is listening: where to go and how to get in.</summary>
internal static class Banner
{
    public static string Format(MeshSettings settings, MeshTokens tokens, string dataDir, string storeDescription, string metadataDescription)
    {
        var host = settings.ListenAddress is "0.0.0.0" or "::" ? "127.0.0.1" : settings.ListenAddress;
        var ingest = settings.Components.HasFlag(MeshComponents.Ingest);
        var url = string.Create(CultureInfo.InvariantCulture, $"http://{host}:{settings.Port}");
        return string.Join(
            Environment.NewLine,
            new[]
            {
                "Mesh is running.",
                $"  Open:          {url}",
                $"  Sign in:       {url}/?token={Uri.EscapeDataString(tokens.AdminToken)}  (one click: stores the admin token in the browser)",
                $"  API:           {url}/api/v1  (Authorization: Bearer <admin token>)",
                settings.Components == MeshComponents.All ? string.Empty : $"  Components:    {MeshComponentNames.Describe(settings.Components)}",
                ingest ? string.Create(CultureInfo.InvariantCulture, $"  OTLP/gRPC:     {host}:{settings.OtlpGrpcPort}") : string.Empty,
                ingest ? string.Create(CultureInfo.InvariantCulture, $"  OTLP/HTTP:     http://{host}:{settings.OtlpHttpPort}/v1/traces, /v1/logs") : string.Empty,
                $"  Metrics:       {url}/metrics",
                $"  Store:         {storeDescription}",
                $"  Metadata:      {metadataDescription}",
                $"  Data dir:      {dataDir}",
                $"  Ingest token:  {tokens.IngestToken}",
                tokens.Generated ? $"  Admin token:   {tokens.AdminToken}" : $"  Admin token:   (in {Path.Combine(dataDir, MeshTokens.FileName)}, or as given)",
                !settings.Components.HasFlag(MeshComponents.ControlPlane) ? string.Empty : $"  Control plane: {url}/api/v1/config  (mesh apply|get|describe|rollback --server {url})",
                tokens.Generated ? $"  (tokens generated on this first run and saved in {Path.Combine(dataDir, MeshTokens.FileName)})" : string.Empty,
                "Press Ctrl+C to stop.",
            }.Where(line => line.Length != 0).Prepend(string.Empty).Append(string.Empty));
    }
}
