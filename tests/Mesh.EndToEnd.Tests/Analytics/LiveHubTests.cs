using System.Net.WebSockets;
using System.Text.Json;
using Mesh.Core.Telemetry;
using Mesh.Testing;
using Xunit;

namespace Mesh.EndToEnd.Tests.Analytics;

/// <summary>The live hub against a real <c>mesh up</c>, with a real WebSocket speaking the SignalR JSON protocol.</summary>
[Collection(AnalyticsCollection.Name)]
public sealed class LiveHubTests(AnalyticsFixture fixture)
{
    private readonly MeshProcess _mesh = fixture.Mesh;

    [Fact]
    public async Task Subscribe_FilteredByNamespace_FullSnapshotThenDeltasWithNewTraffic()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        var id = Guid.NewGuid().ToString("N")[..8];
        var ns = $"live-{id}";
        var (a, b, c) = ($"a-{id}", $"b-{id}", $"c-{id}");
        await MapApi.SendAsync(_mesh, Traffic(a, b, ns, 10));
        await MapApi.SendAsync(_mesh, Traffic($"x-{id}", $"y-{id}", $"other-{id}", 10));
        await MapApi.WaitAsync(_mesh, $"/api/v1/graph?namespace={ns}", g => MapApi.TotalRequests(g) >= 10);

        await using var client = await SignalRJsonClient.ConnectAsync(LiveUrl(MeshProcess.AdminToken), ct);
        var completion = await client.InvokeAsync("Subscribe", [ns, null], ct);
        Assert.False(completion.TryGetProperty("error", out _), completion.ToString());

        var full = await client.NextInvocationAsync("graph", ct);
        Assert.Equal("full", full.GetProperty("type").GetString());
        var edge = Assert.Single(full.GetProperty("edges").GetProperty("upserted").EnumerateArray());
        Assert.Equal((a, b, 10L), (edge.GetProperty("source").GetString(), edge.GetProperty("target").GetString(), edge.GetProperty("requests").GetInt64()));
        Assert.Equal([a, b], full.GetProperty("nodes").GetProperty("upserted").EnumerateArray().Select(n => n.GetProperty("id").GetString()).Order());

        // New traffic in the namespace arrives as a delta naming only what changed.
        await MapApi.SendAsync(_mesh, Traffic(b, c, ns, 5, status: 503));
        JsonElement delta;
        do
        {
            delta = await client.NextInvocationAsync("graph", ct);
            Assert.Equal("delta", delta.GetProperty("type").GetString());
        }
        while (!delta.GetProperty("edges").GetProperty("upserted").EnumerateArray().Any(e => e.GetProperty("target").GetString() == c));

        var added = delta.GetProperty("edges").GetProperty("upserted").EnumerateArray().Single(e => e.GetProperty("target").GetString() == c);
        Assert.Equal(5, added.GetProperty("requests").GetInt64());
        Assert.Equal("failing", added.GetProperty("health").GetProperty("state").GetString());
        Assert.DoesNotContain(delta.GetProperty("edges").GetProperty("upserted").EnumerateArray(), e => e.GetProperty("source").GetString()!.StartsWith("x-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connect_WithoutToken_Refused()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<WebSocketException>(() => SignalRJsonClient.ConnectAsync(LiveUrl("wrong-token"), timeout.Token));
    }

    private Uri LiveUrl(string token) => new($"ws://127.0.0.1:{_mesh.Port}/api/v1/live?access_token={token}");

    private static List<Span> Traffic(string source, string target, string ns, int count, int status = 200)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return [.. Enumerable.Range(0, count).Select(i => ConventionSpans.Proxy("outbound", source, target, (now - 2000 + i) * 1_000_000, 4_000_000, status: status, ns: ns))];
    }
}
