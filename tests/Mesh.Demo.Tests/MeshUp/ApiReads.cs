using System.Text.Json;

namespace Mesh.Demo.Tests.MeshUp;

/// <summary>Reads from a running Mesh's API, and waits for a condition (ingest is asynchronous).</summary>
internal static class ApiReads
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

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Delay(250);
        }
    }
}
