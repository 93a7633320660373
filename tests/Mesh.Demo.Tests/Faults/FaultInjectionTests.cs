using System.Diagnostics;
using System.Net;
using System.Text;
using Mesh.Demo.Faults;
using Mesh.Demo.Tests.Fixtures;

namespace Mesh.Demo.Tests.Faults;

[Collection(DemoStackCollection.Name)]
public sealed class FaultInjectionTests(DemoStack stack)
{
    [Fact]
    public async Task Fault_HalfErrorRateOnOneEndpoint_FailsAboutHalfThereOnlyAndClears()
    {
        // Tests of this collection run one at a time: no checkout shares shipping while it is faulted.
        using var shipping = stack.Client("shipping-v1");
        using (var set = await Post(shipping, "{\"endpoint\":\"/shipments\",\"errorRate\":0.5,\"errorStatus\":500}"))
        {
            Assert.Equal(HttpStatusCode.Created, set.StatusCode);
        }

        const int n = 400;
        var faulted = 0;
        for (var i = 0; i < n; i++)
        {
            using var response = await Post(shipping, "{\"orderId\":\"o1\",\"address\":\"a\",\"items\":1}", "/shipments");
            if (response.StatusCode == HttpStatusCode.InternalServerError)
            {
                Assert.Equal("error", response.Headers.GetValues(FaultMiddleware.FaultHeader).Single());
                faulted++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }
        }

        // Binomial(400, 0.5): sd = 10; 5 sd either side.
        Assert.InRange(faulted, 150, 250);
        for (var i = 0; i < 50; i++)
        {
            using var other = await shipping.GetAsync("/quotes?items=2");
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        using (var clear = await shipping.DeleteAsync("/_demo/faults"))
        {
            Assert.Equal(HttpStatusCode.OK, clear.StatusCode);
        }

        for (var i = 0; i < 50; i++)
        {
            using var after = await Post(shipping, "{\"orderId\":\"o1\",\"address\":\"a\",\"items\":1}", "/shipments");
            Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        }
    }

    [Fact]
    public async Task Fault_ErrorsOnOneVersion_OnlyThatVersionFailsThroughTheMesh()
    {
        using var v2 = stack.Client("catalog-v2");
        using var frontend = stack.Client();
        using (var set = await Post(v2, "{\"endpoint\":\"/products\",\"method\":\"GET\",\"errorRate\":1,\"durationSeconds\":60}"))
        {
            Assert.Equal(HttpStatusCode.Created, set.StatusCode);
        }

        try
        {
            var byStatus = new Dictionary<HttpStatusCode, int>();
            for (var i = 0; i < 20; i++)
            {
                using var response = await frontend.GetAsync("/api/products?category=audio");
                byStatus[response.StatusCode] = byStatus.GetValueOrDefault(response.StatusCode) + 1;
            }

            // The router alternates v1 and v2: the v2 half fail (frontend relays 503 as 502), the v1 half do not.
            Assert.True(byStatus.GetValueOrDefault(HttpStatusCode.OK) >= 5, string.Join(", ", byStatus));
            Assert.True(byStatus.GetValueOrDefault(HttpStatusCode.BadGateway) >= 5, string.Join(", ", byStatus));
            using var v1 = stack.Client("catalog-v1");
            using var direct = await v1.GetAsync("/products");
            Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        }
        finally
        {
            (await v2.DeleteAsync("/_demo/faults?endpoint=/products")).Dispose();
        }
    }

    [Fact]
    public async Task Fault_Latency_DelaysOnlyTheChosenEndpoint()
    {
        using var auth = stack.Client("auth-v1");
        using (var set = await Post(auth, "{\"endpoint\":\"/verify\",\"latencyMs\":300}"))
        {
            Assert.Equal(HttpStatusCode.Created, set.StatusCode);
        }

        try
        {
            var watch = Stopwatch.StartNew();
            using var slow = await auth.GetAsync("/verify");
            var elapsed = watch.Elapsed;

            // The fault's delay is a floor: the endpoint cannot answer sooner (it answers 401: no token).
            Assert.True(elapsed >= TimeSpan.FromMilliseconds(290), $"{elapsed.TotalMilliseconds} ms");
            Assert.Equal(HttpStatusCode.Unauthorized, slow.StatusCode);
            Assert.Equal("latency", slow.Headers.GetValues(FaultMiddleware.FaultHeader).Single());
            using var other = await Post(auth, "{\"username\":\"u\",\"password\":\"demo\"}", "/login");
            Assert.False(other.Headers.Contains(FaultMiddleware.FaultHeader));
            var listed = await StoreClient.JsonAsync(await auth.GetAsync("/_demo/faults"));
            Assert.Equal("/verify", listed.GetProperty("faults")[0].GetProperty("endpoint").GetString());
        }
        finally
        {
            (await auth.DeleteAsync("/_demo/faults")).Dispose();
        }

        var empty = await StoreClient.JsonAsync(await auth.GetAsync("/_demo/faults"));
        Assert.Equal(0, empty.GetProperty("faults").GetArrayLength());
    }

    [Theory]
    [InlineData("{\"errorRate\":0.5}", "endpoint")]
    [InlineData("{\"endpoint\":\"products\",\"errorRate\":0.5}", "endpoint")]
    [InlineData("{\"endpoint\":\"/nope\",\"errorRate\":0.5}", "endpoint")]
    [InlineData("{\"endpoint\":\"/_demo/faults\",\"errorRate\":0.5}", "endpoint")]
    [InlineData("{\"endpoint\":\"/payments\",\"errorRate\":1.5}", "errorRate")]
    [InlineData("{\"endpoint\":\"/payments\",\"errorRate\":\"half\"}", "errorRate")]
    [InlineData("{\"endpoint\":\"/payments\",\"latencyMs\":-1}", "latencyMs")]
    [InlineData("{\"endpoint\":\"/payments\",\"latencyMs\":12.5}", "latencyMs")]
    [InlineData("{\"endpoint\":\"/payments\",\"latencyMs\":600000}", "latencyMs")]
    [InlineData("{\"endpoint\":\"/payments\",\"errorRate\":1,\"errorStatus\":200}", "errorStatus")]
    [InlineData("{\"endpoint\":\"/payments\",\"errorRate\":1,\"method\":\"FETCH\"}", "method")]
    [InlineData("{\"endpoint\":\"/payments\",\"errorRate\":1,\"until\":\"yesterday\"}", "until")]
    [InlineData("{\"endpoint\":\"/payments\",\"errorRate\":1,\"until\":\"2001-01-01T00:00:00Z\"}", "until")]
    [InlineData("{\"endpoint\":\"/payments\",\"errorRate\":1,\"durationSeconds\":0}", "durationSeconds")]
    [InlineData("{\"endpoint\":\"/payments\"}", "latencyMs, errorRate")]
    [InlineData("{\"endpoint\":\"/payments\",\"errorRate\":1,\"colour\":\"red\"}", "colour")]
    [InlineData("[1,2]", "body")]
    [InlineData("{not json", "body")]
    public async Task PostFault_BadRequest_400NamingTheField(string json, string field)
    {
        using var payment = stack.Client("payment-v1");

        using var response = await Post(payment, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(field + ":", (await StoreClient.JsonAsync(response)).GetProperty("error").GetString());
        var listed = await StoreClient.JsonAsync(await payment.GetAsync("/_demo/faults"));
        Assert.Equal(0, listed.GetProperty("faults").GetArrayLength());
    }

    private static Task<HttpResponseMessage> Post(HttpClient http, string json, string path = "/_demo/faults") =>
        http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
}
