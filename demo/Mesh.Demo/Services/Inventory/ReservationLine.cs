namespace Mesh.Demo.Services.Inventory;

/// <summary>One SKU and how many of it an order takes.</summary>
internal sealed record ReservationLine(string? Sku, int Quantity);
