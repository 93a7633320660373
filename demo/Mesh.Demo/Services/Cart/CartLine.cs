namespace Mesh.Demo.Services.Cart;

/// <summary>One product in a cart, priced when it was added.</summary>
internal sealed record CartLine(string Sku, string Name, int Quantity, long PriceCents);
