using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesh.Web.Demo;

/// <summary>
/// <c>mesh demo status|scenarios|clear|fault|kill|split|spike</c>: the demo's scenarios from the command line,
/// through a running Mesh's <c>/api/v1/demo</c> (<c>--server</c>/<c>--token</c> or <c>MESH_SERVER</c>/<c>MESH_TOKEN</c>;
/// operator role to change anything). The server validates; its message names the bad field; exit code 1.
/// </summary>
internal static class DemoCommand
{
    private static readonly Option<string> Server = new("--server") { Description = "Mesh API URL (default http://127.0.0.1:8080). Env: MESH_SERVER", Recursive = true };
    private static readonly Option<string> Token = new("--token") { Description = "API bearer token (operator). Env: MESH_TOKEN", Recursive = true };
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var demo = new Command("demo", "Drive the demo store of 'mesh up --demo': faults, kills, canary split, traffic spikes.") { Server, Token };

        var status = new Command("status", "The demo's processes, ports and split.");
        status.SetAction((parse, ct) => CallAsync(parse, HttpMethod.Get, "demo", null, ct));
        var scenarios = new Command("scenarios", "Active scenarios: faults, stopped services, split, spike.");
        scenarios.SetAction((parse, ct) => CallAsync(parse, HttpMethod.Get, "demo/scenarios", null, ct));
        var clear = new Command("clear", "Clear every scenario: no faults, all processes running, the initial split, no spike.");
        clear.SetAction((parse, ct) => CallAsync(parse, HttpMethod.Delete, "demo/scenarios", null, ct));

        var service = new Option<string>("--service") { Description = "Demo service (frontend, auth, catalog, cart, inventory, payment, shipping)", Required = true };
        var version = new Option<string>("--version") { Description = "Only this version's instance (e.g. v2); default every instance" };
        var endpoint = new Option<string>("--endpoint") { Description = "Route template or path, e.g. /products/{sku}" };
        var method = new Option<string>("--method") { Description = "Only this HTTP method" };
        var latency = new Option<int?>("--latency-ms") { Description = "Added latency per request (ms)" };
        var errorRate = new Option<double?>("--error-rate") { Description = "Share of requests that fail, 0-1" };
        var errorStatus = new Option<int?>("--error-status") { Description = "Status of a failed request (default 503)" };
        var duration = new Option<int?>("--duration") { Description = "Seconds until the scenario ends by itself" };

        var fault = new Command("fault", "Inject latency and/or errors into one endpoint of a service or version.")
        {
            service, version, endpoint, method, latency, errorRate, errorStatus, duration,
        };
        fault.SetAction((parse, ct) => CallAsync(parse, HttpMethod.Post, "demo/faults", Body(
            ("service", parse.GetValue(service)), ("version", parse.GetValue(version)), ("endpoint", parse.GetValue(endpoint)),
            ("method", parse.GetValue(method)), ("latencyMs", parse.GetValue(latency)), ("errorRate", parse.GetValue(errorRate)),
            ("errorStatus", parse.GetValue(errorStatus)), ("durationSeconds", parse.GetValue(duration))), ct));

        var kill = new Command("kill", "Kill an endpoint (--endpoint: every request fails) or a service's processes (until 'mesh demo clear').")
        {
            service, version, endpoint, duration,
        };
        kill.SetAction((parse, ct) => CallAsync(parse, HttpMethod.Post, "demo/kill", Body(
            ("service", parse.GetValue(service)), ("version", parse.GetValue(version)), ("endpoint", parse.GetValue(endpoint)),
            ("durationSeconds", parse.GetValue(duration))), ct));

        var weights = new Option<string>("--weights") { Description = "Canary split, e.g. v1=50,v2=50 (sums to 100)", Required = true };
        var splitService = new Option<string>("--service") { Description = "The canary service (catalog)", DefaultValueFactory = _ => Mesh.Demo.Topology.DemoTopology.CanaryService };
        var split = new Command("split", "Shift the canary split (applies a Route revision).") { splitService, weights };
        split.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(splitService) != Mesh.Demo.Topology.DemoTopology.CanaryService)
            {
                await Console.Error.WriteLineAsync($"mesh demo split: --service: only {Mesh.Demo.Topology.DemoTopology.CanaryService} runs as a canary").ConfigureAwait(false);
                return 2;
            }

            return await CallAsync(parse, HttpMethod.Put, "demo/split", Body(("weights", parse.GetValue(weights))), ct).ConfigureAwait(false);
        });

        var multiplier = new Option<double>("--multiplier") { Description = "Load multiplier during the spike", Required = true };
        var seconds = new Option<int>("--seconds") { Description = "How long the spike lasts", Required = true };
        var spike = new Command("spike", "Multiply the demo load for a while.") { multiplier, seconds };
        spike.SetAction((parse, ct) => CallAsync(parse, HttpMethod.Post, "demo/spike", Body(("multiplier", parse.GetValue(multiplier)), ("seconds", parse.GetValue(seconds))), ct));

        foreach (var sub in new[] { status, scenarios, clear, fault, kill, split, spike })
        {
            demo.Subcommands.Add(sub);
        }

        return demo;
    }

    private static JsonObject Body(params (string Name, object? Value)[] fields)
    {
        var body = new JsonObject();
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                body[name] = value switch
                {
                    string text => JsonValue.Create(text),
                    int number => JsonValue.Create(number),
                    double number => JsonValue.Create(number),
                    _ => throw new ArgumentException($"unexpected value for {name}", nameof(fields)),
                };
            }
        }

        return body;
    }

    private static async Task<int> CallAsync(ParseResult parse, HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        var server = parse.GetValue(Server) ?? Environment.GetEnvironmentVariable("MESH_SERVER") ?? "http://127.0.0.1:8080";
        var token = parse.GetValue(Token) ?? Environment.GetEnvironmentVariable("MESH_TOKEN");
        if (!Uri.TryCreate(server.TrimEnd('/') + "/api/v1/", UriKind.Absolute, out var baseUrl))
        {
            await Console.Error.WriteLineAsync($"mesh demo: --server: '{server}' is not an absolute URL").ConfigureAwait(false);
            return 2;
        }

        if (string.IsNullOrEmpty(token))
        {
            await Console.Error.WriteLineAsync("mesh demo: --token (or MESH_TOKEN) is required: the admin token 'mesh up' printed, or an operator token").ConfigureAwait(false);
            return 2;
        }

        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var detail = TryDetail(text) ?? text;
                await Console.Error.WriteLineAsync($"mesh demo: {(int)response.StatusCode} {detail}").ConfigureAwait(false);
                return 1;
            }

            Console.WriteLine(text.Length == 0 ? "ok" : JsonSerializer.Serialize(JsonNode.Parse(text), Indented));
            return 0;
        }
        catch (HttpRequestException ex)
        {
            await Console.Error.WriteLineAsync($"mesh demo: cannot reach {server}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static string? TryDetail(string text)
    {
        try
        {
            return JsonNode.Parse(text)?["detail"]?.GetValue<string>();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
