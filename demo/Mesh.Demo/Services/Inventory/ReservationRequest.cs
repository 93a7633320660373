namespace Mesh.Demo.Services.Inventory;

/// <summary><c>POST /reservations</c>: take stock for an order.</summary>
internal sealed record ReservationRequest(string? OrderId, IReadOnlyList<ReservationLine>? Items);
