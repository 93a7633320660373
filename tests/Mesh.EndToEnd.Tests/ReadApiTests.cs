using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mesh.Core.Telemetry;
using Mesh.Testing;
using Xunit;

namespace Mesh.EndToEnd.Tests;

/// <summary>The read API's contract at the HTTP edge: auth, search parameters, and ProblemDetails errors.</summary>
[Collection(MeshCollection.Name)]
public sealed class ReadApiTests(MeshFixture fixture)
{
    private readonly MeshProcess _mesh = fixture.Mesh;

    [Theory]
    [InlineData("/api/v1/traces?limit=abc", "limit")]
    [InlineData("/api/v1/traces?limit=0", "limit")]
    [InlineData("/api/v1/traces?status=maybe", "status")]
    [InlineData("/api/v1/traces?minDurationMs=-3", "minDurationMs")]
    [InlineData("/api/v1/traces?minDurationMs=10&maxDurationMs=5", "minDurationMs")]
    [InlineData("/api/v1/traces?start=yesterday", "start")]
    [InlineData("/api/v1/traces?start=2026-11-22T10:00:00Z&end=2026-11-22T09:00:00Z", "start")]
    [InlineData("/api/v1/traces/xyz", "traceId")]
    [InlineData("/api/v1/traces/00000000000000000000000000000000", "traceId")]
    [InlineData("/api/v1/logs?severity=loud", "severity")]
    [InlineData("/api/v1/logs?severity=99", "severity")]
    [InlineData("/api/v1/logs?traceId=123", "traceId")]
    public async Task BadParameter_Is400ProblemNamingIt(string path, string parameter)
    {
        using var api = _mesh.CreateApiClient();
        using var response = await api.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(parameter, problem.RootElement.GetProperty("parameter").GetString());
        Assert.StartsWith(parameter + ":", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownTrace_Is404Problem()
    {
        using var api = _mesh.CreateApiClient();
        using var response = await api.GetAsync(new Uri($"/api/v1/traces/{Otlp.NewTraceId()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-admin-token")]
    [InlineData(MeshProcess.IngestToken)]
    public async Task Api_WithoutAdminToken_Is401(string? token)
    {
        using var api = new HttpClient { BaseAddress = _mesh.ApiUrl };
        if (token is not null)
        {
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await api.GetAsync(new Uri("/api/v1/services", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task FindTraces_FiltersByAttributeDurationAndStatus()
    {
        var service = $"search-{Guid.NewGuid():N}"[..20];
        var now = Otlp.NowNanos();
        Span Make(long durationMs, StatusCode status, string tier) => Otlp.Span(service) with
        {
            StartTimeUnixNano = now - (durationMs * 1_000_000),
            EndTimeUnixNano = now,
            StatusCode = status,
            Attributes = [KeyValue.Of("user.tier", tier), KeyValue.Of("http.response.status_code", status == StatusCode.Error ? 503L : 200L)],
        };
        var slowGoldError = Make(900, StatusCode.Error, "gold");
        var fastGoldError = Make(3, StatusCode.Error, "gold");
        var slowSilverOk = Make(800, StatusCode.Unset, "silver");
        using var client = Otlp.HttpClient(_mesh);
        using (var response = await Otlp.PostAsync(client, "/v1/traces", Otlp.TraceRequest([slowGoldError, fastGoldError, slowSilverOk])))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var api = _mesh.CreateApiClient();
        await Api.WaitForTraceAsync(api, slowSilverOk.TraceId.ToString(), 1);

        async Task<string[]> Find(string query)
        {
            using var doc = await ApiJson.GetJsonAsync(api, $"/api/v1/traces?service={service}&{query}");
            return doc.RootElement.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("traceId").GetString()!).ToArray();
        }

        Assert.Equal([slowGoldError.TraceId.ToString()], await Find("attr.user.tier=gold&minDurationMs=100"));
        Assert.Equal([fastGoldError.TraceId.ToString()], await Find("status=error&maxDurationMs=10"));
        Assert.Equal([slowSilverOk.TraceId.ToString()], await Find("status=ok"));
        Assert.Equal(2, (await Find("attr.http.response.status_code=503")).Length);

        using var summary = await ApiJson.GetJsonAsync(api, $"/api/v1/traces?service={service}&attr.user.tier=silver");
        var trace = Assert.Single(summary.RootElement.GetProperty("traces").EnumerateArray());
        Assert.Equal(service, trace.GetProperty("rootService").GetString());
        Assert.Equal(1, trace.GetProperty("spanCount").GetInt32());
        Assert.Equal(800, trace.GetProperty("durationMs").GetDouble(), 3);

        using var services = await ApiJson.GetJsonAsync(api, "/api/v1/services");
        Assert.Contains(service, services.RootElement.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
    }
}
