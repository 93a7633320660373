using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Mesh.Core.Telemetry;
using Mesh.Testing;
using Xunit;

namespace Mesh.EndToEnd.Tests.Analytics;

/// <summary>Sends spans through the real OTLP receiver and reads the map API until it shows them.</summary>
internal static class MapApi
{
    public static async Task SendAsync(MeshProcess mesh, IReadOnlyList<Span> spans)
    {
        using var client = Otlp.HttpClient(mesh);
        foreach (var chunk in spans.Chunk(500))
        {
            using var response = await Otlp.PostAsync(client, "/v1/traces", Otlp.TraceRequest(chunk));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    public static string Rfc3339(long unixSeconds) => DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static async Task<JsonElement> GetAsync(MeshProcess mesh, string path)
    {
        using var api = mesh.CreateApiClient();
        using var response = await api.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>Reads <paramref name="path"/> until <paramref name="done"/> holds for the reply (rollups land within a flush or two).</summary>
    public static async Task<JsonElement> WaitAsync(MeshProcess mesh, string path, Func<JsonElement, bool> done, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var reply = await GetAsync(mesh, path);
            if (done(reply))
            {
                return reply;
            }

            if (clock.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                Assert.Fail($"{path} never showed the expected traffic; last reply: {reply}\n{mesh.Output}");
            }

            await Task.Delay(100);
        }
    }

    public static long TotalRequests(JsonElement graph) => graph.GetProperty("edges").EnumerateArray().Sum(e => e.GetProperty("requests").GetInt64());

    public static JsonElement Edge(JsonElement graph, string source, string target) =>
        graph.GetProperty("edges").EnumerateArray().Single(e => e.GetProperty("source").GetString() == source && e.GetProperty("target").GetString() == target);

    public static JsonElement Node(JsonElement graph, string name) =>
        graph.GetProperty("nodes").EnumerateArray().Single(e => e.GetProperty("id").GetString() == name);

    public static double Exact(IReadOnlyList<long> nanos, double q)
    {
        var sorted = nanos.Order().ToArray();
        return sorted[(int)Math.Ceiling((q * sorted.Length) - 1e-9) - 1] / 1e6;
    }
}
