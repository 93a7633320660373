namespace Mesh.Demo.Services.Catalog;

/// <summary>A product the store sells. <see cref="Rating"/> is what catalog v2 ranks by.</summary>
internal sealed record Product(string Sku, string Name, string Category, long PriceCents, double Rating);
