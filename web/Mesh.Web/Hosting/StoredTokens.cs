using System.Text.Json.Serialization;

namespace Mesh.Web.Hosting;

/// <summary>The shape of <c>tokens.json</c>.</summary>
internal sealed record StoredTokens(
    [property: JsonPropertyName("ingest")] string Ingest,
    [property: JsonPropertyName("admin")] string Admin);
