using System.Net.Http.Json;
using System.Text.Json;

namespace Mesh.Demo.Tests.Fixtures;

/// <summary>A shopper for tests: logs in, adds to the cart, checks out, optionally under a given traceparent.</summary>
public static class StoreClient
{
    public static async Task<string> LoginAsync(HttpClient http, string user)
    {
        using var response = await http.PostAsJsonAsync("/api/login", new { username = user, password = "demo" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, object? body, string? token, string? traceparent = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        }

        if (traceparent is not null)
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceparent);
            request.Headers.TryAddWithoutValidation("tracestate", "demo=test");
        }

        return await http.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}
