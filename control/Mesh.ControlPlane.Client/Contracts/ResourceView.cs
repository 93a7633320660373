using System.Text.Json;

namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>A stored resource as the API returns it; <see cref="Revision"/> is the config revision it was read at.</summary>
public sealed record ResourceView(string Kind, string Namespace, string Name, IReadOnlyDictionary<string, string> Labels, JsonElement Spec, long Revision);
