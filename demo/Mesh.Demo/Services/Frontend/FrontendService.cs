using System.Text.Json;
using Mesh.Demo.Hosting;

namespace Mesh.Demo.Services.Frontend;

/// <summary>
/// <c>frontend</c>: the store's public API, the only service users reach. Browsing goes to catalog (and from
/// there inventory); login to auth; cart and checkout verify the session at auth, then go to cart, which
/// fans out to catalog, inventory, payment and shipping.
/// </summary>
internal static class FrontendService
{
    public static readonly DemoServiceDefinition Definition = new(
        "frontend", "The store's public API (calls auth, catalog, cart)", CallsOthers: true, (_, _) => { }, Map);

    private static readonly string[] PublicEndpoints =
        ["GET /api/products", "GET /api/products/{sku}", "POST /api/login", "GET /api/cart", "POST /api/cart/items", "POST /api/checkout"];

    private static void Map(WebApplication app)
    {
        app.MapGet("/", () => Results.Json(new
        {
            store = "Mesh demo store",
            endpoints = PublicEndpoints,
        }, DemoJson.Options));

        app.MapGet("/api/products", async (string? category, UpstreamClient upstream, SimulatedWork work, CancellationToken ct) =>
        {
            await work.DoAsync(1, 5, ct).ConfigureAwait(false);
            var query = category is null ? string.Empty : $"?category={Uri.EscapeDataString(category)}";
            return Relay(await upstream.GetAsync("catalog", "/products" + query, ct).ConfigureAwait(false));
        });

        app.MapGet("/api/products/{sku}", async (string sku, UpstreamClient upstream, SimulatedWork work, CancellationToken ct) =>
        {
            await work.DoAsync(1, 5, ct).ConfigureAwait(false);
            return Relay(await upstream.GetAsync("catalog", $"/products/{Uri.EscapeDataString(sku)}", ct).ConfigureAwait(false));
        });

        app.MapPost("/api/login", async (HttpRequest request, UpstreamClient upstream, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<JsonElement?>(request).ConfigureAwait(false);
            return error ?? Relay(await upstream.PostAsync("auth", "/login", body!.Value, ct).ConfigureAwait(false));
        });

        app.MapGet("/api/cart", async (HttpRequest request, UpstreamClient upstream, CancellationToken ct) =>
        {
            var (userId, failure) = await AuthenticateAsync(request, upstream, ct).ConfigureAwait(false);
            return failure ?? Relay(await upstream.GetAsync("cart", $"/carts/{Uri.EscapeDataString(userId!)}", ct).ConfigureAwait(false));
        });

        app.MapPost("/api/cart/items", (HttpRequest request, UpstreamClient upstream, CancellationToken ct) =>
            ForwardAsUserAsync(request, upstream, "/items", ct));

        app.MapPost("/api/checkout", (HttpRequest request, UpstreamClient upstream, CancellationToken ct) =>
            ForwardAsUserAsync(request, upstream, "/checkout", ct));
    }

    private static async Task<IResult> ForwardAsUserAsync(HttpRequest request, UpstreamClient upstream, string suffix, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<JsonElement?>(request).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var (userId, failure) = await AuthenticateAsync(request, upstream, ct).ConfigureAwait(false);
        return failure ?? Relay(await upstream.PostAsync("cart", $"/carts/{Uri.EscapeDataString(userId!)}{suffix}", body!.Value, ct).ConfigureAwait(false));
    }

    private static async Task<(string? UserId, IResult? Failure)> AuthenticateAsync(HttpRequest request, UpstreamClient upstream, CancellationToken ct)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return (null, Results.Json(new ErrorBody("Authorization: log in first (POST /api/login) and send 'Bearer <token>'"), statusCode: StatusCodes.Status401Unauthorized));
        }

        var verified = await upstream.GetAsync("auth", "/verify", ct, authorization).ConfigureAwait(false);
        return verified.IsSuccess
            ? (verified.Body.GetProperty("userId").GetString(), null)
            : (null, verified.ToFailure());
    }

    private static IResult Relay(UpstreamResponse response) =>
        response.IsSuccess ? Results.Json(response.Body, DemoJson.Options, statusCode: (int)response.Status) : response.ToFailure();
}
