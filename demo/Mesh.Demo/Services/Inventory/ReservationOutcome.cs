namespace Mesh.Demo.Services.Inventory;

/// <summary>How a reservation went: made, or refused because of one SKU (unknown or short of stock).</summary>
internal sealed record ReservationOutcome(string? ReservationId, string? Sku, bool UnknownSku, int Available)
{
    public bool Succeeded => ReservationId is not null;
}
