namespace Mesh.Demo.Services.Cart;

/// <summary><c>POST /carts/{userId}/checkout</c>: where to ship, in which currency to charge.</summary>
internal sealed record CheckoutRequest(string? Address, string? Currency);
