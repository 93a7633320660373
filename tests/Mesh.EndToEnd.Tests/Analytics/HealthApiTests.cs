using System.Net;
using System.Text.Json;
using Mesh.Core.Telemetry;
using Mesh.Testing;
using Xunit;

namespace Mesh.EndToEnd.Tests.Analytics;

/// <summary>Health verdicts and edge series through the API, and bad parameters answered with ProblemDetails naming them.</summary>
[Collection(AnalyticsCollection.Name)]
public sealed class HealthApiTests(AnalyticsFixture fixture)
{
    private readonly MeshProcess _mesh = fixture.Mesh;

    [Fact]
    public async Task ServiceHealth_TwentyPercentErrors_FailingByDefaultDegradedWhereConfigured()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var strict = $"strict-{id}";
        var caller = $"caller-{id}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var spans = new List<Span>();
        for (var i = 0; i < 100; i++)
        {
            var start = (now - 30 + (i % 20)) * 1_000_000_000L;
            spans.Add(ConventionSpans.Proxy("outbound", caller, strict, start, 3_000_000, status: i % 5 == 0 ? 500 : 200));
            spans.Add(ConventionSpans.Proxy("outbound", caller, AnalyticsFixture.LenientService, start, 3_000_000, status: i % 5 == 0 ? 500 : 200));
        }

        await MapApi.SendAsync(_mesh, spans);
        var health = await MapApi.WaitAsync(_mesh, $"/api/v1/services/{strict}/health", h => h.TryGetProperty("requests", out var r) && r.GetInt64() >= 100);
        Assert.Equal("failing", health.GetProperty("health").GetProperty("state").GetString());
        var reason = Assert.Single(health.GetProperty("health").GetProperty("reasons").EnumerateArray());
        Assert.Equal(("error_rate", 0.2, 0.1), (reason.GetProperty("code").GetString(), reason.GetProperty("value").GetDouble(), reason.GetProperty("threshold").GetDouble()));
        Assert.Equal(caller, Assert.Single(health.GetProperty("inbound").EnumerateArray()).GetProperty("source").GetString());

        var lenient = await MapApi.WaitAsync(_mesh, $"/api/v1/services/{AnalyticsFixture.LenientService}/health?start={MapApi.Rfc3339(now - 120)}", h => h.TryGetProperty("requests", out var r) && r.GetInt64() >= 100);
        Assert.Equal("healthy", lenient.GetProperty("health").GetProperty("state").GetString()); // 20 % < its 30 %

        var quiet = await MapApi.GetAsync(_mesh, $"/api/v1/services/nobody-{id}/health");
        Assert.Equal("no_traffic", quiet.GetProperty("health").GetProperty("state").GetString());

        var series = await MapApi.GetAsync(_mesh, $"/api/v1/edges/{caller}/{strict}/series?metric=rps&step=60&start={MapApi.Rfc3339(now - 300)}&end={MapApi.Rfc3339(now + 60)}");
        Assert.Equal(100, series.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("requests").GetInt64()));
        Assert.Equal(100 / 60.0, series.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("value").GetDouble()), 9);
        var errors = await MapApi.GetAsync(_mesh, $"/api/v1/edges/{caller}/{strict}/series?metric=errors&step=600&start={MapApi.Rfc3339(now - (now % 600))}&end={MapApi.Rfc3339(now - (now % 600) + 600)}");
        var point = errors.GetProperty("points").EnumerateArray().Single(p => p.GetProperty("requests").GetInt64() > 0);
        Assert.True(point.GetProperty("requests").GetInt64() <= 100);
    }

    [Fact]
    public async Task ServiceHealth_TopOperations_FromTheInboundSidecarsSpansOnly()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var service = $"ops-{id}";
        var caller = $"ops-caller-{id}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var spans = new List<Span>();
        for (var i = 0; i < 20; i++)
        {
            var start = (now - 30 + i) * 1_000_000_000L;
            var inbound = ConventionSpans.Proxy("inbound", caller, service, start, (i + 1) * 1_000_000L, status: i % 5 == 0 ? 500 : 200);
            spans.Add(inbound);

            // The app's own server span below its sidecar's (the same request again) and the service's outbound call.
            spans.Add(ConventionSpans.Sdk(service, SpanKind.Server, start + 1000, 500_000, inbound.TraceId, parent: inbound.SpanId));
            spans.Add(ConventionSpans.Proxy("outbound", service, caller, start + 2000, 300_000));
        }

        await MapApi.SendAsync(_mesh, spans);
        var path = $"/api/v1/services/{service}/health?start={MapApi.Rfc3339(now - 120)}&end={MapApi.Rfc3339(now + 60)}";
        var health = await MapApi.WaitAsync(_mesh, path, h => h.GetProperty("topOperations").EnumerateArray().Any(o => o.GetProperty("requests").GetInt64() >= 20));

        var op = Assert.Single(health.GetProperty("topOperations").EnumerateArray());
        Assert.Equal("GET /items/{id}", op.GetProperty("name").GetString());
        Assert.Equal(20, op.GetProperty("requests").GetInt64());
        Assert.Equal(20 / 180.0, op.GetProperty("rps").GetDouble(), 9);
        Assert.Equal(4, op.GetProperty("errors").GetInt64());
        Assert.Equal(20.0, op.GetProperty("errorPercent").GetDouble(), 9);
        Assert.Equal(20.0, op.GetProperty("p99Ms").GetDouble(), 9);
        Assert.Equal(MapApi.Rfc3339(now - 120), DateTimeOffset.Parse(health.GetProperty("topOperationsWindow").GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));

        // A day-long window: the operations cover its last hour.
        var day = await MapApi.GetAsync(_mesh, $"/api/v1/services/{service}/health?start={MapApi.Rfc3339(now - 86_400)}&end={MapApi.Rfc3339(now + 60)}");
        var window = day.GetProperty("topOperationsWindow");
        Assert.Equal(
            TimeSpan.FromHours(1),
            DateTimeOffset.Parse(window.GetProperty("end").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
                - DateTimeOffset.Parse(window.GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(20, Assert.Single(day.GetProperty("topOperations").EnumerateArray()).GetProperty("requests").GetInt64());
    }

    [Theory]
    [InlineData("/api/v1/graph?start=yesterday", "start")]
    [InlineData("/api/v1/graph?start=1800000000000&end=1700000000000", "start")]
    [InlineData("/api/v1/graph?start=1000&end=9000000000000", "start")]
    [InlineData("/api/v1/services/a/health?start=yesterday", "start")]
    [InlineData("/api/v1/services/a/health?start=1000&end=9000000000000", "start")]
    [InlineData("/api/v1/edges/a/b/series?metric=p42", "metric")]
    [InlineData("/api/v1/edges/a/b/series?step=15", "step")]
    [InlineData("/api/v1/edges/a/b/series?step=ten", "step")]
    [InlineData("/api/v1/edges/a/b/series?step=10&start=1700000000000&end=1702000000000", "step")]
    public async Task Api_BadParameter_ProblemDetailsNamingIt(string path, string parameter)
    {
        using var api = _mesh.CreateApiClient();
        using var response = await api.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(parameter, problem.RootElement.GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Graph_WithoutToken_Unauthorized()
    {
        using var client = new HttpClient { BaseAddress = _mesh.ApiUrl };
        using var response = await client.GetAsync("/api/v1/graph");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
