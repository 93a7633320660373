using System.Net;
using System.Text.Json;

namespace Mesh.EndToEnd.Tests;

/// <summary>Reads from the Mesh API, waiting for ingest to drain where data is expected.</summary>
internal static class Api
{
    /// <summary>The spans of a trace once at least <paramref name="expectedSpans"/> are stored (ingest is asynchronous).</summary>
    public static async Task<JsonElement[]> WaitForTraceAsync(HttpClient api, string traceId, int expectedSpans, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await api.GetAsync(new Uri($"/api/v1/traces/{traceId}", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var spans = doc.RootElement.GetProperty("spans").EnumerateArray().Select(e => e.Clone()).ToArray();
                if (spans.Length >= expectedSpans)
                {
                    return spans;
                }
            }
            else if (response.StatusCode != HttpStatusCode.NotFound)
            {
                throw new HttpRequestException($"GET trace {traceId} -> {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"trace {traceId} did not reach {expectedSpans} spans in time");
            }

            await Task.Delay(100);
        }
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

            await Task.Delay(100);
        }
    }
}
