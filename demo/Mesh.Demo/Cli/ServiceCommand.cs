using System.CommandLine;
using Mesh.Demo.Hosting;

namespace Mesh.Demo.Cli;

/// <summary><c>mesh-demo &lt;service&gt; --port P [--version V] [--upstream URL] [--otlp URL] [--data-dir D]</c>.</summary>
internal static class ServiceCommand
{
    public static Command Create(DemoServiceDefinition definition)
    {
        var port = new Option<int>("--port") { Description = "Port to listen on", Required = true };
        var version = new Option<string>("--version") { Description = "Version this instance reports (default v1)", DefaultValueFactory = _ => "v1" };
        var listen = new Option<string>("--listen-address") { Description = "Address to bind (default 127.0.0.1)", DefaultValueFactory = _ => "127.0.0.1" };
        var upstream = new Option<string>("--upstream") { Description = "Outbound sidecar URL; calls to other services go here with the service name as Host" };
        var otlp = new Option<string>("--otlp") { Description = "OTLP/HTTP endpoint for the service's own spans (off by default)" };
        var otlpHeaders = new Option<string>("--otlp-headers") { Description = "OTLP headers, k=v,k2=v2 (e.g. Authorization=Bearer …)" };
        var dataDir = new Option<string>("--data-dir") { Description = "Directory for the service's files (inventory's SQLite)", DefaultValueFactory = _ => "demo-data" };
        var latency = new Option<double>("--latency-scale") { Description = "Multiplies the simulated work per endpoint (default 1; 0 = none)", DefaultValueFactory = _ => 1.0 };

        var command = new Command(definition.Name, definition.Description) { port, version, listen, upstream, otlp, otlpHeaders, dataDir, latency };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var portValue = parse.GetValue(port);
            if (portValue is < 1 or > 65535)
            {
                errors.Add($"--port: {portValue} is not a TCP port (1-65535)");
            }

            var versionValue = parse.GetValue(version)!;
            if (versionValue.Length is 0 or > 32 || !versionValue.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                errors.Add($"--version: '{versionValue}' must be 1-32 letters, digits, '.', '-' or '_'");
            }

            if (!System.Net.IPAddress.TryParse(parse.GetValue(listen), out _))
            {
                errors.Add($"--listen-address: '{parse.GetValue(listen)}' is not an IP address");
            }

            var upstreamUri = ParseUrl(parse.GetValue(upstream), "--upstream", errors);
            if (upstreamUri is null && definition.CallsOthers && !errors.Any(e => e.StartsWith("--upstream", StringComparison.Ordinal)))
            {
                errors.Add($"--upstream: required, {definition.Name} calls other services through its outbound sidecar");
            }

            var otlpUri = ParseUrl(parse.GetValue(otlp), "--otlp", errors);
            if (parse.GetValue(latency) is < 0 or > 100)
            {
                errors.Add("--latency-scale: must be from 0 to 100");
            }

            if (await ServiceCommand.ReportAsync(definition.Name, errors).ConfigureAwait(false))
            {
                return 2;
            }

            var options = new DemoServiceOptions
            {
                Name = definition.Name,
                Version = versionValue,
                ListenAddress = parse.GetValue(listen)!,
                Port = portValue,
                Upstream = upstreamUri,
                Otlp = otlpUri,
                OtlpHeaders = parse.GetValue(otlpHeaders),
                DataDir = parse.GetValue(dataDir)!,
                LatencyScale = parse.GetValue(latency),
            };
            await using var app = DemoServiceHost.Build(definition, options);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"mesh-demo {definition.Name} {options.Version} listening on http://{options.ListenAddress}:{options.Port}");
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>Prints each command-line error as <c>mesh-demo &lt;command&gt;: …</c>; true when there were any.</summary>
    internal static async Task<bool> ReportAsync(string command, List<string> errors)
    {
        foreach (var error in errors)
        {
            await Console.Error.WriteLineAsync($"mesh-demo {command}: {error}").ConfigureAwait(false);
        }

        return errors.Count > 0;
    }

    internal static Uri? ParseUrl(string? value, string flag, List<string> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        errors.Add($"{flag}: '{value}' is not an absolute http(s) URL");
        return null;
    }
}
