namespace Mesh.Core.Metadata;

/// <summary>One declarative resource as stored: its identity, its spec as JSON, and the revision that last changed it.</summary>
public sealed record StoredResource(string Kind, string Namespace, string Name, string Spec, long Revision);
