using System.Text.Json.Serialization;

namespace Mesh.Web.Hosting;

/// <summary>Source-generated JSON for the host's own files.</summary>
[JsonSerializable(typeof(StoredTokens))]
[JsonSerializable(typeof(Dictionary<string, System.Text.Json.JsonElement>))]
internal sealed partial class MeshJsonContext : JsonSerializerContext;
