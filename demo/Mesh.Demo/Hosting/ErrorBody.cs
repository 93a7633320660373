namespace Mesh.Demo.Hosting;

/// <summary>The one error shape every demo service answers with.</summary>
internal sealed record ErrorBody(string Error);
