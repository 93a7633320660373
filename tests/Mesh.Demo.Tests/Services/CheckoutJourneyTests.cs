using System.Diagnostics;
using System.Net;
using Mesh.Demo.Tests.Fixtures;
using Microsoft.Data.Sqlite;

namespace Mesh.Demo.Tests.Services;

[Collection(DemoStackCollection.Name)]
public sealed class CheckoutJourneyTests(DemoStack stack)
{
    [Fact]
    public async Task Checkout_ThroughRouter_CrossesFiveServicesWithOneTraceId()
    {
        using var http = stack.Client();
        var token = await StoreClient.LoginAsync(http, "trace-shopper");
        using (var add = await StoreClient.SendAsync(http, HttpMethod.Post, "/api/cart/items", new { sku = "sku-lamp", quantity = 2 }, token))
        {
            Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        }

        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var parentId = ActivitySpanId.CreateRandom().ToHexString();
        var traceparent = $"00-{traceId}-{parentId}-01";
        using var checkout = await StoreClient.SendAsync(http, HttpMethod.Post, "/api/checkout", new { address = "1 Test Road" }, token, traceparent);
        var order = await StoreClient.JsonAsync(checkout);

        Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);
        Assert.StartsWith("ord-", order.GetProperty("orderId").GetString());
        Assert.StartsWith("trk-", order.GetProperty("trackingId").GetString());
        Assert.Equal(2 * 4_500, order.GetProperty("totalCents").GetInt64());

        var hops = stack.Router.Requests.Where(r => r.Traceparent.Contains(traceId, StringComparison.Ordinal)).ToList();
        var services = hops.Select(h => h.Service).ToHashSet();
        // frontend (called by the test) + these five behind it.
        Assert.Superset(new HashSet<string> { "auth", "cart", "inventory", "payment", "shipping" }, services);
        // Without its own SDK spans a service hands the context on unchanged, tracestate included.
        Assert.All(hops, h => Assert.Equal(traceparent, h.Traceparent));
        Assert.All(hops, h => Assert.Equal("demo=test", h.Tracestate));
        Assert.Contains(hops, h => h is { Service: "cart", Path: "/carts/trace-shopper/checkout" });
        Assert.Contains(hops, h => h is { Service: "inventory", Path: "/reservations" });
    }

    [Fact]
    public async Task Request_WithoutTraceparent_StartsOneTraceForAllItsCalls()
    {
        using var http = stack.Client();
        var before = stack.Router.Requests.Count;
        var token = await StoreClient.LoginAsync(http, "untraced-shopper");
        using var add = await StoreClient.SendAsync(http, HttpMethod.Post, "/api/cart/items", new { sku = "sku-mug", quantity = 1 }, token);

        Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        // The add-to-cart request fans out to auth, cart, catalog and inventory: all under one new trace.
        var hops = stack.Router.Requests.Skip(before).Where(h => h.Service != "auth" || h.Path == "/verify").ToList();
        var addHops = hops.SkipWhile(h => h.Path != "/verify").ToList();
        Assert.True(addHops.Count >= 4, string.Join("; ", addHops));
        Assert.Single(addHops.Select(h => h.Traceparent.Split('-')[1]).Distinct());
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", addHops[0].Traceparent);
    }

    [Fact]
    public async Task Checkout_Reservation_DecrementsStockPersistedInSqlite()
    {
        using var http = stack.Client();
        var before = await StockInFileAsync("sku-notebook");
        var token = await StoreClient.LoginAsync(http, "stock-shopper");
        using (var add = await StoreClient.SendAsync(http, HttpMethod.Post, "/api/cart/items", new { sku = "sku-notebook", quantity = 3 }, token))
        {
            Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        }

        using var checkout = await StoreClient.SendAsync(http, HttpMethod.Post, "/api/checkout", new { address = "2 Test Road" }, token);

        Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);
        Assert.Equal(before - 3, await StockInFileAsync("sku-notebook"));
        using var inventory = stack.Client("inventory-v1");
        var stock = await StoreClient.JsonAsync(await inventory.GetAsync("/stock/sku-notebook"));
        Assert.Equal(before - 3, stock.GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task Reservation_MoreThanInStock_Conflicts409AndLeavesStock()
    {
        using var inventory = stack.Client("inventory-v1");
        var before = await StockInFileAsync("sku-plant");
        using var response = await StoreClient.SendAsync(inventory, HttpMethod.Post, "/reservations",
            new { orderId = "ord-x", items = new object[] { new { sku = "sku-mug", quantity = 1 }, new { sku = "sku-plant", quantity = 100 }, new { sku = "sku-plant", quantity = 100 }, new { sku = "sku-plant", quantity = 100 }, new { sku = "sku-plant", quantity = 100 }, new { sku = "sku-plant", quantity = 100 }, new { sku = "sku-plant", quantity = 100 } } }, null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("sku-plant", (await StoreClient.JsonAsync(response)).GetProperty("error").GetString());
        Assert.Equal(before, await StockInFileAsync("sku-plant"));
    }

    [Fact]
    public async Task Reservation_Released_GivesStockBack()
    {
        using var inventory = stack.Client("inventory-v1");
        var before = await StockInFileAsync("sku-kettle");
        using var reserved = await StoreClient.SendAsync(inventory, HttpMethod.Post, "/reservations", new { orderId = "ord-y", items = new[] { new { sku = "sku-kettle", quantity = 4 } } }, null);
        var id = (await StoreClient.JsonAsync(reserved)).GetProperty("reservationId").GetString();
        Assert.Equal(before - 4, await StockInFileAsync("sku-kettle"));

        using var released = await inventory.DeleteAsync($"/reservations/{id}");
        using var again = await inventory.DeleteAsync($"/reservations/{id}");

        Assert.Equal(HttpStatusCode.NoContent, released.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(before, await StockInFileAsync("sku-kettle"));
    }

    [Fact]
    public async Task Browse_ProductDetail_GoesCatalogThenInventory()
    {
        using var http = stack.Client();
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var response = await StoreClient.SendAsync(http, HttpMethod.Get, "/api/products/sku-speaker", null, null, $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var body = await StoreClient.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("sku-speaker", body.GetProperty("product").GetProperty("sku").GetString());
        Assert.True(body.GetProperty("available").GetInt32() > 0);
        var hops = stack.Router.Requests.Where(r => r.Traceparent.Contains(traceId, StringComparison.Ordinal)).Select(r => $"{r.Service} {r.Path}").ToList();
        Assert.Equal(["catalog /products/sku-speaker", "inventory /stock/sku-speaker"], hops);
    }

    [Fact]
    public async Task Catalog_TwoVersions_BothServeThroughTheRouter()
    {
        using var http = stack.Client();
        var versions = new HashSet<string>();
        for (var i = 0; i < 6; i++)
        {
            var body = await StoreClient.JsonAsync(await http.GetAsync("/api/products"));
            versions.Add(body.GetProperty("version").GetString()!);
            if (body.GetProperty("version").GetString() == "v2")
            {
                // v2 ranks by rating and says why.
                Assert.Equal("sku-mug", body.GetProperty("products")[0].GetProperty("sku").GetString());
                Assert.True(body.GetProperty("products")[0].TryGetProperty("badges", out _));
            }
        }

        Assert.Equal(["v1", "v2"], versions.Order());
    }

    [Theory]
    [InlineData("/api/cart/items", "{\"sku\":\"sku-mug\",\"quantity\":0}", true, HttpStatusCode.BadRequest, "quantity")]
    [InlineData("/api/cart/items", "{\"sku\":\"sku-nope\",\"quantity\":1}", true, HttpStatusCode.NotFound, "sku")]
    [InlineData("/api/cart/items", "{\"sku\":\"sku-mug\",\"quantity\":\"two\"}", true, HttpStatusCode.BadRequest, "quantity")]
    [InlineData("/api/checkout", "{\"address\":\"x\"}", false, HttpStatusCode.Unauthorized, "Authorization")]
    [InlineData("/api/checkout", "{}", true, HttpStatusCode.BadRequest, "address")]
    [InlineData("/api/login", "{\"username\":\"\",\"password\":\"demo\"}", false, HttpStatusCode.BadRequest, "username")]
    [InlineData("/api/login", "not json", false, HttpStatusCode.BadRequest, "body")]
    public async Task Frontend_BadRequest_AnswersStatusNamingTheField(string path, string json, bool loggedIn, HttpStatusCode expected, string field)
    {
        using var http = stack.Client();
        var token = loggedIn ? await StoreClient.LoginAsync(http, "bad-input-shopper") : null;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.StartsWith(field, (await StoreClient.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Login_WrongPassword_Unauthorized()
    {
        using var http = stack.Client();
        using var response = await StoreClient.SendAsync(http, HttpMethod.Post, "/api/login", new { username = "mallory", password = "guess" }, null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_EveryInstance_ReportsNameAndVersion()
    {
        foreach (var (instance, _) in stack.Ports)
        {
            using var http = stack.Client(instance);
            var body = await StoreClient.JsonAsync(await http.GetAsync("/healthz"));
            Assert.Equal(instance, $"{body.GetProperty("service").GetString()}-{body.GetProperty("version").GetString()}");
        }
    }

    private async Task<int> StockInFileAsync(string sku)
    {
        // Read the file itself, on a connection of our own: what survives a restart.
        await using var connection = new SqliteConnection($"Data Source={stack.InventoryDatabase};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT available FROM stock WHERE sku = $sku";
        command.Parameters.AddWithValue("$sku", sku);
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }
}
