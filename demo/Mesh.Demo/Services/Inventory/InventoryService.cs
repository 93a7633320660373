using Mesh.Demo.Hosting;

namespace Mesh.Demo.Services.Inventory;

/// <summary><c>inventory</c>: stock levels and reservations, in its own SQLite file under <c>--data-dir</c>.</summary>
internal static class InventoryService
{
    public const int MaxQuantity = 100;

    public static readonly DemoServiceDefinition Definition = new(
        "inventory", "Stock per SKU and reservations (SQLite)", CallsOthers: false, Register, Map);

    private static void Register(IServiceCollection services, DemoServiceOptions options)
    {
        services.AddSingleton(sp => new InventoryStore(
            Path.Combine(options.DataDir, $"inventory-{options.Version}.db"), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<Restocker>();
    }

    private static void Map(WebApplication app)
    {
        app.MapGet("/stock", async (InventoryStore store, SimulatedWork work, CancellationToken ct) =>
        {
            await work.DoAsync(2, 8, ct).ConfigureAwait(false);
            var stock = await store.StockAsync(ct).ConfigureAwait(false);
            return Results.Json(new { stock = stock.Select(s => new { sku = s.Sku, available = s.Available }) }, DemoJson.Options);
        });

        app.MapGet("/stock/{sku}", async (string sku, InventoryStore store, SimulatedWork work, CancellationToken ct) =>
        {
            await work.DoAsync(1, 5, ct).ConfigureAwait(false);
            return await store.AvailableAsync(sku, ct).ConfigureAwait(false) is { } available
                ? Results.Json(new { sku, available }, DemoJson.Options)
                : Results.Json(new ErrorBody($"sku: no stock record for '{sku}'"), statusCode: StatusCodes.Status404NotFound);
        });

        app.MapPost("/reservations", async (HttpRequest request, InventoryStore store, SimulatedWork work, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<ReservationRequest>(request).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            if (string.IsNullOrWhiteSpace(body!.OrderId))
            {
                return JsonBody.BadRequest("orderId: required");
            }

            if (body.Items is not { Count: > 0 })
            {
                return JsonBody.BadRequest("items: at least one item is required");
            }

            for (var i = 0; i < body.Items.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(body.Items[i].Sku))
                {
                    return JsonBody.BadRequest($"items[{i}].sku: required");
                }

                if (body.Items[i].Quantity is < 1 or > MaxQuantity)
                {
                    return JsonBody.BadRequest($"items[{i}].quantity: must be 1 to {MaxQuantity}");
                }
            }

            await work.DoAsync(5, 15, ct).ConfigureAwait(false);
            var outcome = await store.ReserveAsync(body.OrderId, [.. body.Items.Select(l => (l.Sku!, l.Quantity))], ct).ConfigureAwait(false);
            if (outcome.Succeeded)
            {
                return Results.Json(new { reservationId = outcome.ReservationId, orderId = body.OrderId }, DemoJson.Options, statusCode: StatusCodes.Status201Created);
            }

            return outcome.UnknownSku
                ? Results.Json(new ErrorBody($"sku: no stock record for '{outcome.Sku}'"), statusCode: StatusCodes.Status404NotFound)
                : Results.Json(new { error = $"out of stock: '{outcome.Sku}' has {outcome.Available} left", sku = outcome.Sku, available = outcome.Available }, DemoJson.Options, statusCode: StatusCodes.Status409Conflict);
        });

        app.MapDelete("/reservations/{id}", async (string id, InventoryStore store, CancellationToken ct) =>
            await store.ReleaseAsync(id, ct).ConfigureAwait(false)
                ? Results.NoContent()
                : Results.Json(new ErrorBody($"id: no open reservation '{id}'"), statusCode: StatusCodes.Status404NotFound));
    }
}
