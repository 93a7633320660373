namespace Mesh.Demo.Services.Shipping;

/// <summary><c>POST /shipments</c>: ship an order's items to an address.</summary>
internal sealed record ShipmentRequest(string? OrderId, string? Address, int Items);
