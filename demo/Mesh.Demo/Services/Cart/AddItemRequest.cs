namespace Mesh.Demo.Services.Cart;

/// <summary><c>POST /carts/{userId}/items</c>.</summary>
internal sealed record AddItemRequest(string? Sku, int Quantity);
