using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mesh.Demo.Hosting;
using Mesh.Demo.Services.Auth;
using Mesh.Demo.Services.Catalog;

namespace Mesh.Demo.Load;

/// <summary>
/// The shopper journeys, as real HTTP calls to the frontend (directly or through an ingress). A journey stops
/// at its first failed step, as a shopper who hits an error page would.
/// </summary>
internal sealed class StoreJourneys(HttpClient http, LoadStats stats, string? hostHeader)
{
    public async Task<bool> RunAsync(JourneyKind kind, Random random, CancellationToken cancellationToken)
    {
        var counters = stats.For(kind);
        var journey = new Journey(this, counters, random, cancellationToken);
        try
        {
            return kind switch
            {
                JourneyKind.Browse => await journey.BrowseAsync().ConfigureAwait(false),
                JourneyKind.Login => await journey.LoginAsync().ConfigureAwait(false) is not null,
                JourneyKind.AddToCart => await journey.AddToCartAsync().ConfigureAwait(false),
                _ => await journey.CheckoutAsync().ConfigureAwait(false),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<(bool Ok, JsonElement Body)> SendAsync(
        JourneyCounters counters, HttpMethod method, string path, object? body, string? token, HttpStatusCode expected, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (hostHeader is not null)
        {
            request.Headers.Host = hostHeader;
        }

        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: DemoJson.Options);
        }

        try
        {
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            var ok = response.StatusCode == expected;
            counters.OnRequest(error: !ok);
            if (!ok)
            {
                return (false, default);
            }

            var json = await response.Content.ReadFromJsonAsync<JsonElement>(DemoJson.Options, ct).ConfigureAwait(false);
            return (true, json);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            counters.OnRequest(error: true);
            return (false, default);
        }
    }

    /// <summary>One shopper's visit: its own random draws and its session token.</summary>
    private sealed class Journey(StoreJourneys owner, JourneyCounters counters, Random random, CancellationToken ct)
    {
        private string Sku() => DemoProducts.All[random.Next(DemoProducts.All.Count)].Sku;

        private Task<(bool Ok, JsonElement Body)> Get(string path, string? token = null) =>
            owner.SendAsync(counters, HttpMethod.Get, path, null, token, HttpStatusCode.OK, ct);

        private Task<(bool Ok, JsonElement Body)> Post(string path, object body, string? token, HttpStatusCode expected) =>
            owner.SendAsync(counters, HttpMethod.Post, path, body, token, expected, ct);

        public async Task<bool> BrowseAsync()
        {
            if (!(await Get("/api/products").ConfigureAwait(false)).Ok)
            {
                return false;
            }

            for (var pages = random.Next(1, 4); pages > 0; pages--)
            {
                if (!(await Get($"/api/products/{Sku()}").ConfigureAwait(false)).Ok)
                {
                    return false;
                }
            }

            return true;
        }

        public async Task<string?> LoginAsync()
        {
            var user = $"shopper-{random.Next(100_000):D5}";
            var (ok, body) = await Post("/api/login", new { username = user, password = AuthService.DemoPassword }, null, HttpStatusCode.OK).ConfigureAwait(false);
            return ok && body.TryGetProperty("token", out var token) ? token.GetString() : null;
        }

        public async Task<bool> AddToCartAsync()
        {
            var token = await LoginAsync().ConfigureAwait(false);
            if (token is null)
            {
                return false;
            }

            var sku = Sku();
            return (await Get($"/api/products/{sku}").ConfigureAwait(false)).Ok
                && (await Post("/api/cart/items", new { sku, quantity = 1 }, token, HttpStatusCode.OK).ConfigureAwait(false)).Ok;
        }

        public async Task<bool> CheckoutAsync()
        {
            var token = await LoginAsync().ConfigureAwait(false);
            if (token is null || !(await Get("/api/products").ConfigureAwait(false)).Ok)
            {
                return false;
            }

            for (var items = random.Next(1, 3); items > 0; items--)
            {
                if (!(await Post("/api/cart/items", new { sku = Sku(), quantity = random.Next(1, 3) }, token, HttpStatusCode.OK).ConfigureAwait(false)).Ok)
                {
                    return false;
                }
            }

            var address = $"{random.Next(1, 200)} Demo Street, Springfield";
            return (await Post("/api/checkout", new { address, currency = "EUR" }, token, HttpStatusCode.Created).ConfigureAwait(false)).Ok;
        }
    }
}
