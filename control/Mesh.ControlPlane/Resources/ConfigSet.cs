using System.Collections.Immutable;

namespace Mesh.ControlPlane.Resources;

/// <summary>An immutable set of resources at one revision; every change builds a new set.</summary>
internal sealed class ConfigSet
{
    public static readonly ConfigSet Empty = new(0, ImmutableSortedDictionary<string, Resource>.Empty.WithComparers(StringComparer.Ordinal));

    private ConfigSet(long revision, ImmutableSortedDictionary<string, Resource> resources)
    {
        Revision = revision;
        Resources = resources;
    }

    public long Revision { get; }

    public ImmutableSortedDictionary<string, Resource> Resources { get; }

    public static ConfigSet From(long revision, IEnumerable<Resource> resources) =>
        new(revision, resources.ToImmutableSortedDictionary(r => r.Id, r => r, StringComparer.Ordinal));

    public ConfigSet With(IEnumerable<Resource> upserts) => new(Revision, Resources.SetItems(upserts.Select(r => KeyValuePair.Create(r.Id, r))));

    public ConfigSet Without(string id) => new(Revision, Resources.Remove(id));

    public ConfigSet AtRevision(long revision) => new(revision, Resources);

    public IEnumerable<Resource> OfKind(string kind) => Resources.Values.Where(r => r.Kind == kind);

    public Resource? Find(string kind, string ns, string name) => Resources.GetValueOrDefault($"{kind}/{ns}/{name}");

    public bool HasService(string ns, string name) => Find(ResourceKinds.Service, ns, name) is not null;
}
