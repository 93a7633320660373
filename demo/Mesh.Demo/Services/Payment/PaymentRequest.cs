namespace Mesh.Demo.Services.Payment;

/// <summary><c>POST /payments</c>: charge an order.</summary>
internal sealed record PaymentRequest(string? OrderId, long AmountCents, string? Currency);
