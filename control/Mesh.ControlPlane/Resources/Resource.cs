using System.Text.Json.Nodes;

namespace Mesh.ControlPlane.Resources;

/// <summary>
/// One declarative resource: kind, namespace, name, labels and its typed spec (<see cref="ServiceSpec"/>,
/// <see cref="RouteSpec"/>…). <see cref="Document"/> is the normalised JSON form that is stored and diffed.
/// </summary>
internal sealed record Resource(string Kind, string Namespace, string Name, IReadOnlyDictionary<string, string> Labels, object Spec, JsonObject Document)
{
    public string Id => $"{Kind}/{Namespace}/{Name}";

    public T As<T>() => (T)Spec;
}
