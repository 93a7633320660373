using System.Text.Json;
using Mesh.Demo.Hosting;

namespace Mesh.Demo.Services.Catalog;

/// <summary>
/// <c>catalog</c>: the product list and product pages (which ask inventory for stock). Two versions for the
/// canary: v2 ranks by rating and adds badges, and spends noticeably longer doing so.
/// </summary>
internal static class CatalogService
{
    public static readonly DemoServiceDefinition Definition = new(
        "catalog", "Product list and details (v2 ranks by rating; slower)", CallsOthers: true, (_, _) => { }, Map);

    private static void Map(WebApplication app)
    {
        var v2 = string.Equals(app.Services.GetRequiredService<DemoServiceOptions>().Version, "v2", StringComparison.OrdinalIgnoreCase);

        app.MapGet("/products", async (string? category, SimulatedWork work, CancellationToken ct) =>
        {
            await (v2 ? work.DoAsync(15, 45, ct) : work.DoAsync(4, 15, ct)).ConfigureAwait(false);
            var products = DemoProducts.All.Where(p => category is null || string.Equals(p.Category, category, StringComparison.OrdinalIgnoreCase));
            return v2
                ? Results.Json(new { version = "v2", products = products.OrderByDescending(p => p.Rating).Select(WithBadges) }, DemoJson.Options)
                : Results.Json(new { version = "v1", products = products.Select(p => new { p.Sku, p.Name, p.Category, p.PriceCents }) }, DemoJson.Options);
        });

        app.MapGet("/products/{sku}", async (string sku, SimulatedWork work, UpstreamClient upstream, CancellationToken ct) =>
        {
            var product = DemoProducts.Find(sku);
            if (product is null)
            {
                return Results.Json(new ErrorBody($"sku: no product '{sku}'"), statusCode: StatusCodes.Status404NotFound);
            }

            await (v2 ? work.DoAsync(10, 30, ct) : work.DoAsync(3, 10, ct)).ConfigureAwait(false);
            var stock = await upstream.GetAsync("inventory", $"/stock/{Uri.EscapeDataString(sku)}", ct).ConfigureAwait(false);
            if (!stock.IsSuccess)
            {
                return stock.ToFailure();
            }

            var available = stock.Body.GetProperty("available").GetInt32();
            return v2
                ? Results.Json(new { version = "v2", product = WithBadges(product), available }, DemoJson.Options)
                : Results.Json(new { version = "v1", product = new { product.Sku, product.Name, product.Category, product.PriceCents }, available }, DemoJson.Options);
        });
    }

    private static object WithBadges(Product p) => new
    {
        p.Sku,
        p.Name,
        p.Category,
        p.PriceCents,
        p.Rating,
        Badges = p.Rating >= 4.6 ? new[] { "top-rated" } : p.PriceCents < 2_000 ? ["under-20"] : Array.Empty<string>(),
    };

    internal static long PriceOf(JsonElement productResponse) =>
        productResponse.GetProperty("product").GetProperty("priceCents").GetInt64();
}
