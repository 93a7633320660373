using Mesh.Demo.Hosting;

namespace Mesh.Demo.Services.Shipping;

/// <summary><c>shipping</c>: books a carrier for an order and quotes delivery.</summary>
internal static class ShippingService
{
    private static readonly string[] Carriers = ["parcelco", "swiftpost", "greenfreight"];

    public static readonly DemoServiceDefinition Definition = new(
        "shipping", "Books shipments and quotes delivery", CallsOthers: false, (_, _) => { }, Map);

    private static void Map(WebApplication app)
    {
        app.MapPost("/shipments", async (HttpRequest request, SimulatedWork work, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<ShipmentRequest>(request).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            if (string.IsNullOrWhiteSpace(body!.OrderId))
            {
                return JsonBody.BadRequest("orderId: required");
            }

            if (string.IsNullOrWhiteSpace(body.Address))
            {
                return JsonBody.BadRequest("address: required");
            }

            if (body.Items < 1)
            {
                return JsonBody.BadRequest("items: must be at least 1");
            }

            await work.DoAsync(8, 25, ct).ConfigureAwait(false);
            var carrier = Carriers[Math.Abs(body.OrderId.GetHashCode(StringComparison.Ordinal) % Carriers.Length)];
            return Results.Json(new
            {
                trackingId = "trk-" + Guid.NewGuid().ToString("N")[..12],
                orderId = body.OrderId,
                carrier,
                etaDays = 1 + (body.Items / 3) + Random.Shared.Next(0, 3),
            }, DemoJson.Options, statusCode: StatusCodes.Status201Created);
        });

        app.MapGet("/quotes", async (int? items, SimulatedWork work, CancellationToken ct) =>
        {
            if (items is < 1)
            {
                return JsonBody.BadRequest("items: must be at least 1");
            }

            await work.DoAsync(3, 10, ct).ConfigureAwait(false);
            return Results.Json(new { quotes = Carriers.Select((c, i) => new { carrier = c, priceCents = 499 + (i * 300) + ((items ?? 1) * 50), etaDays = 3 - i }) }, DemoJson.Options);
        });
    }
}
