using Mesh.Demo.Hosting;

namespace Mesh.Demo.Services.Payment;

/// <summary>
/// <c>payment</c>: charges orders. The card network is the slowest hop of a checkout; very large orders are
/// declined (402), as a fraud rule would.
/// </summary>
internal static class PaymentService
{
    public const long DeclineAboveCents = 500_000;

    public static readonly DemoServiceDefinition Definition = new(
        "payment", "Charges orders (declines above a limit)", CallsOthers: false, (_, _) => { }, Map);

    private static void Map(WebApplication app)
    {
        app.MapPost("/payments", async (HttpRequest request, SimulatedWork work, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<PaymentRequest>(request).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            if (string.IsNullOrWhiteSpace(body!.OrderId))
            {
                return JsonBody.BadRequest("orderId: required");
            }

            if (body.AmountCents <= 0)
            {
                return JsonBody.BadRequest("amountCents: must be positive");
            }

            if (body.Currency is not ("EUR" or "USD"))
            {
                return JsonBody.BadRequest("currency: must be EUR or USD");
            }

            await work.DoAsync(25, 70, ct).ConfigureAwait(false);
            if (body.AmountCents > DeclineAboveCents)
            {
                return Results.Json(new { error = "declined: amount over the card limit", orderId = body.OrderId }, DemoJson.Options, statusCode: StatusCodes.Status402PaymentRequired);
            }

            var paymentId = "pay-" + Guid.NewGuid().ToString("N")[..16];
            return Results.Json(new { paymentId, orderId = body.OrderId, status = "captured", amountCents = body.AmountCents, currency = body.Currency }, DemoJson.Options, statusCode: StatusCodes.Status201Created);
        });
    }
}
