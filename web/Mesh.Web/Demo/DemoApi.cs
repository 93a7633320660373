using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mesh.ControlPlane.Access;
using Mesh.Web.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mesh.Web.Demo;

/// <summary>
/// <c>/api/v1/demo/...</c>: the demo's processes (viewer) and its scenarios (operator): <c>POST faults</c>,
/// <c>POST kill</c>, <c>PUT split</c>, <c>POST spike</c>, <c>GET|DELETE scenarios</c>. 404 when the demo is not running.
/// </summary>
internal static class DemoApi
{
    public static void MapDemoApi(this RouteGroupBuilder api)
    {
        var read = api.MapGroup("/demo");
        read.AddEndpointFilter(new RequireRole(Roles.Viewer));
        read.AddEndpointFilter(new ApiErrors());
        read.AddEndpointFilter(new DemoErrors());
        read.MapGet("", (DemoState state) => Results.Json(Status(Runner(state))));
        read.MapGet("/scenarios", async (DemoState state, CancellationToken ct) =>
            Results.Json(await Scenarios(state).ListAsync(ct).ConfigureAwait(false)));

        var write = api.MapGroup("/demo");
        write.AddEndpointFilter(new RequireRole(Roles.Operator));
        write.AddEndpointFilter(new ApiErrors());
        write.AddEndpointFilter(new DemoErrors());
        write.MapDelete("/scenarios", async (DemoState state, CancellationToken ct) => Results.Json(await Scenarios(state).ClearAsync(ct).ConfigureAwait(false)));
        write.MapPost("/faults", async (HttpRequest request, DemoState state, CancellationToken ct) =>
            Results.Json(new JsonObject { ["faults"] = await Scenarios(state).FaultAsync(await BodyAsync(request, ct).ConfigureAwait(false), ct).ConfigureAwait(false) }));
        write.MapPost("/kill", async (HttpRequest request, DemoState state, CancellationToken ct) =>
            Results.Json(await Scenarios(state).KillAsync(await BodyAsync(request, ct).ConfigureAwait(false), ct).ConfigureAwait(false)));
        write.MapPut("/split", async (HttpRequest request, DemoState state, CancellationToken ct) =>
            Results.Json(await Scenarios(state).SplitAsync(await BodyAsync(request, ct).ConfigureAwait(false), ct).ConfigureAwait(false)));
        write.MapPost("/spike", async (HttpRequest request, DemoState state, CancellationToken ct) =>
            Results.Json(await Scenarios(state).SpikeAsync(await BodyAsync(request, ct).ConfigureAwait(false), ct).ConfigureAwait(false)));
    }

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static DemoRunner Runner(DemoState state) =>
        state.Runner ?? throw new DemoNotRunningException();

    private static DemoScenarios Scenarios(DemoState state) => new(Runner(state), Http);

    private static JsonObject Status(DemoRunner runner)
    {
        var ports = runner.Context.Ports;
        var instances = new JsonArray();
        foreach (var i in runner.Instances)
        {
            instances.Add(new JsonObject
            {
                ["service"] = i.Topology.Service,
                ["version"] = i.Topology.Version,
                ["state"] = i.App.State,
                ["pid"] = i.App.Pid,
                ["restarts"] = i.App.Restarts,
                ["port"] = ports.App(i.Topology),
                ["calls"] = new JsonArray([.. i.Topology.Calls.Select(c => JsonValue.Create(c))]),
                ["sidecar"] = new JsonObject
                {
                    ["state"] = i.Sidecar.State,
                    ["pid"] = i.Sidecar.Pid,
                    ["restarts"] = i.Sidecar.Restarts,
                    ["inboundPort"] = ports.Inbound(i.Topology),
                    ["outboundPort"] = i.Topology.Calls.Count > 0 ? ports.Outbound(i.Topology) : null,
                    ["adminPort"] = ports.SidecarAdmin(i.Topology),
                },
            });
        }

        return new JsonObject
        {
            ["namespace"] = StaticSidecarConfig.Namespace,
            ["sidecars"] = runner.Context.Settings.Sidecars == DemoSidecarMode.Static ? "static" : "control-plane",
            ["basePort"] = ports.BasePort,
            ["directory"] = runner.Context.Directory,
            ["instances"] = instances,
            ["load"] = new JsonObject
            {
                ["state"] = runner.Load.State,
                ["pid"] = runner.Load.Pid,
                ["restarts"] = runner.Load.Restarts,
                ["port"] = ports.Load,
                ["rps"] = runner.Context.Settings.Rps,
                ["sidecar"] = new JsonObject
                {
                    ["state"] = runner.LoadSidecar.State,
                    ["pid"] = runner.LoadSidecar.Pid,
                    ["restarts"] = runner.LoadSidecar.Restarts,
                    ["inboundPort"] = ports.Inbound(DemoPorts.LoadInstance),
                    ["outboundPort"] = ports.Outbound(DemoPorts.LoadInstance),
                    ["adminPort"] = ports.SidecarAdmin(DemoPorts.LoadInstance),
                },
            },
            ["split"] = runner.Split.ToString(),
            ["uptimeSeconds"] = Math.Round(System.Diagnostics.Stopwatch.GetElapsedTime(runner.StartedAt).TotalSeconds, 1).ToString(CultureInfo.InvariantCulture),
        };
    }

    private static async Task<JsonElement> BodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
            return body.ValueKind == JsonValueKind.Object ? body : throw new ApiParameterException("body", "must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new ApiParameterException("body", $"not valid JSON: {ex.Message}");
        }
    }
}
