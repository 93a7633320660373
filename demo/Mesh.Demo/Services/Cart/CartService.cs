using Mesh.Demo.Hosting;
using Mesh.Demo.Services.Catalog;
using Mesh.Demo.Services.Inventory;

namespace Mesh.Demo.Services.Cart;

/// <summary>
/// <c>cart</c>: shopping carts and checkout. Adding an item prices it at catalog and checks inventory;
/// checkout reserves stock, charges payment and books shipping, and gives the stock back if payment fails.
/// </summary>
internal static class CartService
{
    public static readonly DemoServiceDefinition Definition = new(
        "cart", "Carts and checkout (calls catalog, inventory, payment, shipping)", CallsOthers: true, (s, _) => s.AddSingleton<CartStore>(), Map);

    private static void Map(WebApplication app)
    {
        app.MapGet("/carts/{userId}", async (string userId, CartStore carts, SimulatedWork work, CancellationToken ct) =>
        {
            await work.DoAsync(1, 4, ct).ConfigureAwait(false);
            return View(userId, carts.Get(userId));
        });

        app.MapDelete("/carts/{userId}", (string userId, CartStore carts) =>
            carts.Clear(userId) ? Results.NoContent() : Results.Json(new ErrorBody($"userId: no cart for '{userId}'"), statusCode: StatusCodes.Status404NotFound));

        app.MapPost("/carts/{userId}/items", async (string userId, HttpRequest request, CartStore carts, UpstreamClient upstream, SimulatedWork work, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<AddItemRequest>(request).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            if (string.IsNullOrWhiteSpace(body!.Sku))
            {
                return JsonBody.BadRequest("sku: required");
            }

            if (body.Quantity is < 1 or > InventoryService.MaxQuantity)
            {
                return JsonBody.BadRequest($"quantity: must be 1 to {InventoryService.MaxQuantity}");
            }

            var sku = Uri.EscapeDataString(body.Sku);
            var product = await upstream.GetAsync("catalog", $"/products/{sku}", ct).ConfigureAwait(false);
            if (!product.IsSuccess)
            {
                return product.ToFailure();
            }

            var stock = await upstream.GetAsync("inventory", $"/stock/{sku}", ct).ConfigureAwait(false);
            if (!stock.IsSuccess)
            {
                return stock.ToFailure();
            }

            var available = stock.Body.GetProperty("available").GetInt32();
            if (available < body.Quantity)
            {
                return Results.Json(new { error = $"out of stock: '{body.Sku}' has {available} left", sku = body.Sku, available }, DemoJson.Options, statusCode: StatusCodes.Status409Conflict);
            }

            await work.DoAsync(2, 6, ct).ConfigureAwait(false);
            var name = product.Body.GetProperty("product").GetProperty("name").GetString() ?? body.Sku;
            return View(userId, carts.Add(userId, new CartLine(body.Sku, name, body.Quantity, CatalogService.PriceOf(product.Body))));
        });

        app.MapPost("/carts/{userId}/checkout", async (string userId, HttpRequest request, CartStore carts, UpstreamClient upstream, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<CheckoutRequest>(request).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            if (string.IsNullOrWhiteSpace(body!.Address))
            {
                return JsonBody.BadRequest("address: required");
            }

            var lines = carts.Get(userId);
            if (lines.Count == 0)
            {
                return JsonBody.BadRequest($"userId: the cart of '{userId}' is empty");
            }

            var orderId = "ord-" + Guid.NewGuid().ToString("N")[..16];
            var total = lines.Sum(l => l.PriceCents * l.Quantity);
            var reservation = await upstream.PostAsync(
                "inventory", "/reservations", new { orderId, items = lines.Select(l => new { sku = l.Sku, quantity = l.Quantity }) }, ct).ConfigureAwait(false);
            if (!reservation.IsSuccess)
            {
                return reservation.ToFailure();
            }

            var reservationId = reservation.Body.GetProperty("reservationId").GetString()!;
            var payment = await upstream.PostAsync("payment", "/payments", new { orderId, amountCents = total, currency = body.Currency ?? "EUR" }, ct).ConfigureAwait(false);
            if (!payment.IsSuccess)
            {
                // The order will not happen: the stock must not stay taken.
                await upstream.SendAsync("inventory", HttpMethod.Delete, $"/reservations/{reservationId}", null, CancellationToken.None).ConfigureAwait(false);
                return payment.ToFailure();
            }

            var shipment = await upstream.PostAsync(
                "shipping", "/shipments", new { orderId, address = body.Address, items = lines.Sum(l => l.Quantity) }, ct).ConfigureAwait(false);
            if (!shipment.IsSuccess)
            {
                return shipment.ToFailure();
            }

            carts.Clear(userId);
            return Results.Json(new
            {
                orderId,
                reservationId,
                paymentId = payment.Body.GetProperty("paymentId").GetString(),
                trackingId = shipment.Body.GetProperty("trackingId").GetString(),
                totalCents = total,
            }, DemoJson.Options, statusCode: StatusCodes.Status201Created);
        });
    }

    private static IResult View(string userId, IReadOnlyList<CartLine> lines) =>
        Results.Json(new { userId, items = lines, totalCents = lines.Sum(l => l.PriceCents * l.Quantity) }, DemoJson.Options);
}
