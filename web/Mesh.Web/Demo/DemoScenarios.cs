using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mesh.Demo.Topology;
using Mesh.Web.Api;

namespace Mesh.Web.Demo;

/// <summary>
/// The operator's failure scenarios on a running demo: faults (latency, errors) on one endpoint of a service or
/// one version, killing an endpoint (100 % errors) or a whole service (its processes stopped), shifting the canary,
/// a traffic spike; listing and clearing them. Faults and spikes go to the demo processes' own APIs
/// (<c>/_demo/faults</c>, <c>/_demo/spike</c>), whose field-named errors come back as 400s.
/// </summary>
internal sealed class DemoScenarios(DemoRunner runner, HttpClient http)
{
    private static readonly string[] FaultFields = ["endpoint", "method", "latencyMs", "errorRate", "errorStatus", "durationSeconds", "until"];

    /// <summary>Sends a fault rule (<paramref name="body"/>: service, version?, and the rule's fields) to the matching instances.</summary>
    public async Task<JsonArray> FaultAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var targets = Targets(body);
        var rule = new JsonObject();
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name is "service" or "version")
            {
                continue;
            }

            if (!FaultFields.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new ApiParameterException(property.Name, $"unknown field (known: service, version, {string.Join(", ", FaultFields)})");
            }

            rule[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        }

        if (rule["endpoint"] is null)
        {
            throw new ApiParameterException("endpoint", "required: a route template or path of the service, e.g. /products/{sku}");
        }

        return await PostFaultAsync(targets, rule, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Kills an endpoint (<c>endpoint</c> given: errors on every request to it) or, without one, the service's
    /// (or version's) processes: stopped until the scenarios are cleared; their sidecars stay and answer 503.
    /// </summary>
    public async Task<JsonObject> KillAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var targets = Targets(body);
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name is not ("service" or "version" or "endpoint" or "durationSeconds"))
            {
                throw new ApiParameterException(property.Name, "unknown field (known: service, version, endpoint, durationSeconds)");
            }
        }

        if (body.TryGetProperty("endpoint", out var endpoint))
        {
            var rule = new JsonObject { ["endpoint"] = JsonNode.Parse(endpoint.GetRawText()), ["errorRate"] = 1, ["errorStatus"] = 503 };
            if (body.TryGetProperty("durationSeconds", out var duration))
            {
                rule["durationSeconds"] = JsonNode.Parse(duration.GetRawText());
            }

            return new JsonObject { ["killed"] = "endpoint", ["faults"] = await PostFaultAsync(targets, rule, cancellationToken).ConfigureAwait(false) };
        }

        if (body.TryGetProperty("durationSeconds", out _))
        {
            throw new ApiParameterException("durationSeconds", "only with endpoint: a stopped process stays stopped until the scenarios are cleared");
        }

        await Task.WhenAll(targets.Select(t => t.App.PauseAsync())).ConfigureAwait(false);
        return new JsonObject { ["killed"] = "process", ["instances"] = new JsonArray([.. targets.Select(t => JsonValue.Create(t.Topology.InstanceName))]) };
    }

    public async Task<JsonObject> SplitAsync(JsonElement body, CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("weights", out var weights))
        {
            throw new ApiParameterException("weights", "required, e.g. {\"weights\": {\"v1\": 50, \"v2\": 50}} or \"v1=50,v2=50\"");
        }

        var text = weights.ValueKind switch
        {
            JsonValueKind.String => weights.GetString(),
            JsonValueKind.Object => string.Join(",", weights.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetRawText()}")),
            _ => throw new ApiParameterException("weights", "must be an object of version → percent or a string v1=50,v2=50"),
        };
        CanarySplit split;
        try
        {
            split = CanarySplit.Parse(text);
        }
        catch (ArgumentException ex)
        {
            throw new ApiParameterException("weights", ex.Message["weights: ".Length..]);
        }

        var revision = await runner.SetSplitAsync(split, cancellationToken).ConfigureAwait(false);
        return new JsonObject { ["service"] = DemoTopology.CanaryService, ["weights"] = WeightsJson(split), ["revision"] = revision };
    }

    public async Task<JsonNode?> SpikeAsync(JsonElement body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body.GetRawText(), Encoding.UTF8, "application/json");
        return await SendAsync(HttpMethod.Post, LoadUrl("/_demo/spike"), content, "load", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every active scenario: faults per instance, stopped instances, the split, the spike.</summary>
    public async Task<JsonObject> ListAsync(CancellationToken cancellationToken)
    {
        var faults = new JsonArray();
        foreach (var instance in runner.Instances.Where(i => !i.App.Paused))
        {
            var rules = await SendAsync(HttpMethod.Get, AppUrl(instance, "/_demo/faults"), null, instance.Topology.InstanceName, cancellationToken, tolerateDown: true).ConfigureAwait(false);
            foreach (var rule in (rules as JsonObject)?["faults"] as JsonArray ?? (rules as JsonArray) ?? new JsonArray())
            {
                faults.Add(new JsonObject { ["service"] = instance.Topology.Service, ["version"] = instance.Topology.Version, ["rule"] = rule?.DeepClone() });
            }
        }

        return new JsonObject
        {
            ["faults"] = faults,
            ["stopped"] = new JsonArray([.. runner.Instances.Where(i => i.App.Paused).Select(i => JsonValue.Create(i.Topology.InstanceName))]),
            ["split"] = new JsonObject { ["service"] = DemoTopology.CanaryService, ["weights"] = WeightsJson(runner.Split), ["initial"] = WeightsJson(CanarySplit.Initial) },
            ["spike"] = await SendAsync(HttpMethod.Get, LoadUrl("/_demo/spike"), null, "load", cancellationToken, tolerateDown: true).ConfigureAwait(false),
        };
    }

    /// <summary>Back to the baseline: no faults, every process running, the initial split, no spike.</summary>
    public async Task<JsonObject> ClearAsync(CancellationToken cancellationToken)
    {
        foreach (var instance in runner.Instances)
        {
            instance.App.Resume();
            await SendAsync(HttpMethod.Delete, AppUrl(instance, "/_demo/faults"), null, instance.Topology.InstanceName, cancellationToken, tolerateDown: true).ConfigureAwait(false);
        }

        await SendAsync(HttpMethod.Delete, LoadUrl("/_demo/spike"), null, "load", cancellationToken, tolerateDown: true).ConfigureAwait(false);
        if (!runner.Split.Weights.OrderBy(w => w.Key).SequenceEqual(CanarySplit.Initial.Weights.OrderBy(w => w.Key)))
        {
            await runner.SetSplitAsync(CanarySplit.Initial, cancellationToken).ConfigureAwait(false);
        }

        return await ListAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonArray> PostFaultAsync(IReadOnlyList<DemoInstance> targets, JsonObject rule, CancellationToken cancellationToken)
    {
        var results = new JsonArray();
        foreach (var target in targets)
        {
            if (target.App.Paused)
            {
                throw new ApiParameterException("service", $"{target.Topology.InstanceName} is stopped (killed); clear the scenarios first");
            }

            using var content = new StringContent(rule.ToJsonString(), Encoding.UTF8, "application/json");
            var answer = await SendAsync(HttpMethod.Post, AppUrl(target, "/_demo/faults"), content, target.Topology.InstanceName, cancellationToken).ConfigureAwait(false);
            results.Add(new JsonObject { ["service"] = target.Topology.Service, ["version"] = target.Topology.Version, ["fault"] = answer });
        }

        return results;
    }

    private List<DemoInstance> Targets(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new ApiParameterException("body", "must be a JSON object");
        }

        if (!body.TryGetProperty("service", out var s) || s.ValueKind != JsonValueKind.String || s.GetString() is not { Length: > 0 } service)
        {
            throw new ApiParameterException("service", $"required, one of {string.Join(", ", DemoTopology.Services)}");
        }

        var ofService = runner.Instances.Where(i => i.Topology.Service == service).ToList();
        if (ofService.Count == 0)
        {
            throw new ApiParameterException("service", $"'{service}' is not a demo service (services: {string.Join(", ", DemoTopology.Services)})");
        }

        if (!body.TryGetProperty("version", out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return ofService;
        }

        var version = v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var ofVersion = ofService.Where(i => i.Topology.Version == version).ToList();
        return ofVersion.Count > 0
            ? ofVersion
            : throw new ApiParameterException("version", $"'{version ?? v.GetRawText()}' is not a version of {service} (versions: {string.Join(", ", ofService.Select(i => i.Topology.Version))})");
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, Uri url, HttpContent? content, string who, CancellationToken cancellationToken, bool tolerateDown = false)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return tolerateDown ? new JsonObject { ["unreachable"] = who } : throw new DemoUnavailableException($"{who} does not answer ({ex.Message}); it may be restarting, see the demo logs");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var node = text.Length == 0 ? null : JsonNode.Parse(text);
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                var message = node?["error"]?.GetValue<string>() ?? text;
                var colon = message.IndexOf(':', StringComparison.Ordinal);
                throw colon > 0
                    ? new ApiParameterException(message[..colon], message[(colon + 1)..].Trim())
                    : new ApiParameterException("body", message);
            }

            return response.IsSuccessStatusCode || tolerateDown
                ? node
                : throw new DemoUnavailableException($"{who} answered {(int)response.StatusCode}: {text}");
        }
    }

    private Uri AppUrl(DemoInstance instance, string path) => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{runner.Context.Ports.App(instance.Topology)}{path}"));

    private Uri LoadUrl(string path) => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{runner.Context.Ports.Load}{path}"));

    private static JsonObject WeightsJson(CanarySplit split) => new([.. split.Weights.Select(w => KeyValuePair.Create(w.Key, (JsonNode?)JsonValue.Create(w.Value)))]);
}
