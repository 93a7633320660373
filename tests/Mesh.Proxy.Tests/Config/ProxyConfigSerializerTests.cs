using Mesh.Proxy.Config;

namespace Mesh.Proxy.Tests.Config;

public sealed class ProxyConfigSerializerTests
{
    internal const string Sample = """
        service: { name: web, version: 1.4.0, namespace: shop }
        listeners:
          - name: ingress
            port: 8081
            mode: ingress
        routes:
          - name: api
            match:
              hosts: [shop.local]
              path: { prefix: /api }
              methods: [GET, POST]
              headers: [{ name: x-canary, exact: "yes" }]
              query: [{ name: debug }]
            pathTemplate: /api/{id}
            split:
              - { cluster: backend, subset: v1, weight: 90 }
              - { cluster: backend, subset: v2, weight: 10 }
            timeout: 2s
            retry:
              attempts: 3
              on: [5xx, connect-failure, retriable-grpc]
              perTryTimeout: 250ms
              budget: { ratio: 0.2, minRetriesPerSecond: 5, window: 10s }
            fault:
              delay: { duration: 100ms, percent: 5 }
              abort: { status: 503, percent: 1.5 }
            mirror: { cluster: shadow, percent: 10 }
            rateLimit: { requestsPerSecond: 100, burst: 20, perSource: true }
            requestHeaders: { set: { x-env: prod }, remove: [x-debug] }
          - name: rest
            cluster: backend
        clusters:
          - name: backend
            loadBalancer: least_request
            endpoints:
              - { address: 127.0.0.1, port: 9001, version: v1 }
              - { address: 127.0.0.1, port: 9002, version: v2, weight: 50 }
            circuitBreaker: { maxConcurrent: 10, maxPending: 0 }
            outlierDetection:
              consecutive5xx: 3
              latency: { factor: 4, percentile: 99 }
            healthCheck: { path: /health, interval: 1s }
          - name: shadow
            endpoints: [{ address: 127.0.0.1, port: 9003 }]
        telemetry: { otlpEndpoint: "http://127.0.0.1:4318", token: secret-token, sampling: 0.5 }
        admin: { port: 9901 }
        """;

    [Fact]
    public void FromYaml_FullConfig_BindsEveryField()
    {
        var config = ProxyConfigSerializer.FromYaml(Sample);

        Assert.Equal("web", config.Service.Name);
        Assert.Equal("1.4.0", config.Service.Version);
        Assert.Equal(ListenerMode.Ingress, config.Listeners[0].Mode);
        var api = config.Routes[0];
        Assert.Equal("/api", api.Match.Path!.Prefix);
        Assert.Equal(["GET", "POST"], api.Match.Methods);
        Assert.Equal("yes", api.Match.Headers[0].Exact);
        Assert.Equal("debug", api.Match.Query[0].Name);
        Assert.Equal(10, api.Split[1].Weight);
        Assert.Equal("v2", api.Split[1].Subset);
        Assert.Equal(TimeSpan.FromSeconds(2), api.Timeout);
        Assert.Equal([RetryOn.ServerError, RetryOn.ConnectFailure, RetryOn.RetriableGrpc], api.Retry!.On);
        Assert.Equal(TimeSpan.FromMilliseconds(250), api.Retry.PerTryTimeout);
        Assert.Equal(5, api.Retry.Budget.MinRetriesPerSecond);
        Assert.Equal(1.5, api.Fault!.Abort!.Percent);
        Assert.Equal("shadow", api.Mirror!.Cluster);
        Assert.True(api.RateLimit!.PerSource);
        Assert.Equal("prod", api.RequestHeaders!.Set["x-env"]);
        Assert.Equal(LoadBalancerPolicy.LeastRequest, config.Clusters[0].LoadBalancer);
        Assert.Equal(50, config.Clusters[0].Endpoints[1].Weight);
        Assert.Equal(4, config.Clusters[0].OutlierDetection!.Latency!.Factor);
        Assert.Equal(LoadBalancerPolicy.PeakEwma, config.Clusters[1].LoadBalancer);
        Assert.Equal(0.5, config.Telemetry.Sampling);
        Assert.Equal(9901, config.Admin!.Port);
    }

    [Fact]
    public void ToJson_RoundTrip_ProducesEqualJson()
    {
        var config = ProxyConfigSerializer.FromYaml(Sample);
        var json = ProxyConfigSerializer.ToJson(config);

        var again = ProxyConfigSerializer.FromJson(json);

        Assert.Equal(json, ProxyConfigSerializer.ToJson(again));
        Assert.Contains("\"timeout\":\"2s\"", json, StringComparison.Ordinal);
        Assert.Contains("\"loadBalancer\":\"least_request\"", json, StringComparison.Ordinal);
        Assert.Contains("\"5xx\"", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("routes[0].split: weights sum to 90, expected 100", "weight: 10", "weight: 0")]
    [InlineData("routes[0].split[1].cluster: no cluster named 'nope'", "{ cluster: backend, subset: v2, weight: 10 }", "{ cluster: nope, weight: 10 }")]
    [InlineData("routes[0].split[1].subset: cluster 'backend' has no endpoint with version 'v3'", "subset: v2, weight: 10", "subset: v3, weight: 10")]
    [InlineData("listeners[0].port: 70000 is not a TCP port (1-65535)", "port: 8081", "port: 70000")]
    [InlineData("routes[0].timeout: 'soon' is not a duration (write e.g. 250ms, 5s, 2m)", "timeout: 2s", "timeout: soon")]
    [InlineData("clusters[0].loadBalancer: expected one of round_robin, least_request, peak_ewma", "loadBalancer: least_request", "loadBalancer: random")]
    [InlineData("routes[0].retry.attempts: expected a whole number", "attempts: 3", "attempts: many")]
    [InlineData("routes[0].match.path.regex: not a valid regular expression", "prefix: /api", "regex: '/api/(['")]
    [InlineData("routes[0].matchx: unknown field", "    match:\n", "    matchx:\n")]
    [InlineData("telemetry.sampling: 1.5 is outside 0-1", "sampling: 0.5", "sampling: 1.5")]
    [InlineData("routes[0].fault.abort.percent: 150 is outside 0-100", "percent: 1.5", "percent: 150")]
    [InlineData("clusters[0].outlierDetection.latency.factor: 0.5 must be above 1", "factor: 4", "factor: 0.5")]
    [InlineData("routes[0].requestHeaders.set: 'connection' is managed by the proxy", "x-env: prod", "connection: close")]
    public void FromYaml_BadField_ErrorNamesFieldAndReason(string expected, string find, string replace)
    {
        var yaml = Sample.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Sample, yaml);

        var ex = Assert.Throws<ProxyConfigException>(() => ProxyConfigSerializer.FromYaml(yaml));

        Assert.Contains(ex.Errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void FromYaml_SeveralProblems_ReportsAll()
    {
        var yaml = Sample.Replace("port: 8081", "port: 0", StringComparison.Ordinal).Replace("weight: 10", "weight: 20", StringComparison.Ordinal);

        var ex = Assert.Throws<ProxyConfigException>(() => ProxyConfigSerializer.FromYaml(yaml));

        Assert.Contains(ex.Errors, e => e.Path == "listeners[0].port");
        Assert.Contains(ex.Errors, e => e.Path == "routes[0].split");
    }

    [Fact]
    public void FromYaml_InvalidYaml_SaysWhere()
    {
        var ex = Assert.Throws<ProxyConfigException>(() => ProxyConfigSerializer.FromYaml("listeners: [\n  - a: b"));

        Assert.Contains("invalid YAML at line", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_Malformed_SaysInvalidJson()
    {
        var ex = Assert.Throws<ProxyConfigException>(() => ProxyConfigSerializer.FromJson("{\"listeners\": [}"));

        Assert.StartsWith("invalid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromYaml_NoListeners_Required()
    {
        var ex = Assert.Throws<ProxyConfigException>(() => ProxyConfigSerializer.FromYaml("service: { name: a }\nclusters: []"));

        Assert.Contains(ex.Errors, e => e.Path == "listeners");
    }
}
