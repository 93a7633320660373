using System.Net;
using System.Text;
using System.Text.Json;
using Mesh.Demo.Load;
using Mesh.Demo.Tests.Fixtures;
using Mesh.Testing;

namespace Mesh.Demo.Tests.Load;

[Collection(DemoStackCollection.Name)]
public sealed class LoadGeneratorTests(DemoStack stack)
{
    [Fact]
    public async Task Load_AgainstTheStore_RunsEveryJourneyWithoutErrorsAndCountsThem()
    {
        await using var load = await StartAsync(rps: 40, concurrency: 32);
        using var admin = new HttpClient { BaseAddress = load.Url };

        var stats = await WaitForAsync(admin, s => Enum.GetNames<JourneyKind>().All(k => Journey(s, k).GetProperty("succeeded").GetInt64() >= 2));

        foreach (var kind in Enum.GetNames<JourneyKind>())
        {
            var journey = Journey(stats, kind);
            Assert.Equal(0, journey.GetProperty("failed").GetInt64());
            Assert.Equal(0, journey.GetProperty("errors").GetInt64());
            Assert.True(journey.GetProperty("requests").GetInt64() >= journey.GetProperty("succeeded").GetInt64());
        }

        Assert.Equal(40, stats.GetProperty("currentRps").GetDouble(), precision: 3);
        Assert.Contains(stack.Router.Requests, r => r is { Service: "payment", Path: "/payments" });
    }

    [Fact]
    public async Task Spike_PostedToTheGenerator_RaisesTheRateAndEnds()
    {
        await using var load = await StartAsync(rps: 2, concurrency: 4);
        using var admin = new HttpClient { BaseAddress = load.Url };

        using var posted = await admin.PostAsync("/_demo/spike", Json("{\"multiplier\":5,\"seconds\":60}"));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var stats = await StoreClient.JsonAsync(await admin.GetAsync("/stats"));
        Assert.Equal(10, stats.GetProperty("currentRps").GetDouble(), precision: 3);
        Assert.Equal(5, stats.GetProperty("spike").GetProperty("multiplier").GetDouble());

        using var stopped = await admin.DeleteAsync("/_demo/spike");
        Assert.Equal(HttpStatusCode.NoContent, stopped.StatusCode);
        stats = await StoreClient.JsonAsync(await admin.GetAsync("/stats"));
        Assert.Equal(2, stats.GetProperty("currentRps").GetDouble(), precision: 3);
    }

    [Theory]
    [InlineData("{\"seconds\":60}", "multiplier")]
    [InlineData("{\"multiplier\":0,\"seconds\":60}", "multiplier")]
    [InlineData("{\"multiplier\":500,\"seconds\":60}", "multiplier")]
    [InlineData("{\"multiplier\":5}", "seconds")]
    [InlineData("{\"multiplier\":5,\"seconds\":\"60\"}", "seconds")]
    [InlineData("{\"multiplier\":5,\"seconds\":60,\"rps\":3}", "rps")]
    [InlineData("5", "body")]
    public async Task Spike_BadRequest_400NamingTheField(string json, string field)
    {
        await using var load = await StartAsync(rps: 1, concurrency: 1);
        using var admin = new HttpClient { BaseAddress = load.Url };

        using var response = await admin.PostAsync("/_demo/spike", Json(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(field + ":", (await StoreClient.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Load_ConcurrencyBoundReached_DropsAndCountsTheExcess()
    {
        // One slot, 200 journeys a second, and auth slowed: most due journeys find the slot taken.
        using var auth = stack.Client("auth-v1");
        (await auth.PostAsync("/_demo/faults", Json("{\"endpoint\":\"/login\",\"latencyMs\":200}"))).Dispose();
        try
        {
            await using var load = await StartAsync(rps: 200, concurrency: 1);
            using var admin = new HttpClient { BaseAddress = load.Url };

            var stats = await WaitForAsync(admin, s => s.GetProperty("totals").GetProperty("dropped").GetInt64() >= 50);

            Assert.True(stats.GetProperty("inFlight").GetInt64() <= 1);
        }
        finally
        {
            (await auth.DeleteAsync("/_demo/faults")).Dispose();
        }
    }

    private async Task<RunningLoad> StartAsync(double rps, int concurrency)
    {
        var port = FreePort.Next();
        var app = LoadHost.Build(new LoadOptions
        {
            Target = stack.FrontendUrl,
            Shape = new LoadShape(rps, TimeSpan.FromMinutes(10), Amplitude: 0),
            MaxConcurrency = concurrency,
            AdminPort = port,
        });
        await app.StartAsync();
        return new RunningLoad(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient admin, Func<JsonElement, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var stats = await StoreClient.JsonAsync(await admin.GetAsync("/stats", timeout.Token));
            if (condition(stats))
            {
                return stats;
            }

            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"stats never met the condition: {stats}");
            }

            // Real load against real services: poll its counters rather than sleep a guessed time.
            await Task.Delay(100, CancellationToken.None);
        }
    }

    private static JsonElement Journey(JsonElement stats, string kind) =>
        stats.GetProperty("journeys").GetProperty(LoadStats.JsonName(Enum.Parse<JourneyKind>(kind)));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private sealed record RunningLoad(WebApplication App, Uri Url) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
