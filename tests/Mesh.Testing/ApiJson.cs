using System.Text.Json;

namespace Mesh.Testing;

/// <summary>JSON reads from a running Mesh's API: a non-success status is an exception carrying the body.</summary>
public static class ApiJson
{
    public static async Task<JsonDocument> GetJsonAsync(HttpClient api, string path)
    {
        using var response = await api.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path} -> {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }

        return JsonDocument.Parse(text);
    }
}
