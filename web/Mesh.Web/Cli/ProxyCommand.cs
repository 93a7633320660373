using System.CommandLine;
using Mesh.Proxy;
using Mesh.Proxy.Config;
using Mesh.Proxy.Config.Serialization;
using Mesh.Proxy.Configuration;
using Mesh.Proxy.ControlPlane;
using Microsoft.Extensions.Logging;

namespace Mesh.Web.Cli;

/// <summary>
/// <c>mesh proxy --config proxy.yaml</c>: the data plane from a static file, reloaded when it changes; or
/// <c>mesh proxy --control-plane URL ...</c>: a sidecar fed live by the control plane (certificate, watch, lease).
/// </summary>
internal static class ProxyCommand
{
    private static readonly Option<string> Config = new("--config") { Description = "Static mode: proxy config file (YAML or JSON). Env: MESH_PROXY_CONFIG" };
    private static readonly Option<string> ControlPlane = new("--control-plane") { Description = "Control-plane mode: Mesh API URL. Env: MESH_SERVER" };
    private static readonly Option<string> Token = new("--token") { Description = "API token with the proxy role. Env: MESH_TOKEN" };
    private static readonly Option<string> Namespace = new("--namespace", "-n") { Description = "Namespace of the local service" };
    private static readonly Option<string> Service = new("--service") { Description = "The local service this proxy sits beside" };
    private static readonly Option<string> Version = new("--version") { Description = "Version label of this instance (what splits select)" };
    private static readonly Option<int> InboundPort = new("--inbound-port") { Description = "Port receiving mesh traffic for the service (registered as its endpoint)" };
    private static readonly Option<int> AppPort = new("--app-port") { Description = "The local app's port, where inbound requests go" };
    private static readonly Option<int> OutboundPort = new("--outbound-port") { Description = "Port the app sends its outbound calls to (optional)" };
    private static readonly Option<int> AdminPort = new("--admin-port") { Description = "Admin port: /metrics, /stats, /config_dump (optional)" };
    private static readonly Option<string> Address = new("--address") { Description = "Address to bind and register (default 127.0.0.1)" };
    private static readonly Option<string> AdvertiseAddress = new("--advertise-address") { Description = "Address (IP or host name) to register instead of --address, e.g. the container's name when binding 0.0.0.0" };
    private static readonly Option<string> CertTtl = new("--cert-ttl") { Description = "Workload certificate lifetime asked of the CA, e.g. 1h or 30s (default: the CA's, 24h); rotated at 2/3" };
    private static readonly Option<string> LeaseTtl = new("--lease-ttl") { Description = "Endpoint lease, renewed at 1/3 (default 30s)" };

    public static Command Create()
    {
        var command = new Command("proxy", "Run the sidecar / ingress proxy (routes, balances, protects and observes every request).")
        {
            Config, ControlPlane, Token, Namespace, Service, Version, InboundPort, AppPort, OutboundPort, AdminPort, Address, AdvertiseAddress, CertTtl, LeaseTtl,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            }).SetMinimumLevel(LogLevel.Information));
            var path = parse.GetValue(Config) ?? Environment.GetEnvironmentVariable("MESH_PROXY_CONFIG");
            if (path is not null)
            {
                return await StaticAsync(path, loggers, cancellationToken).ConfigureAwait(false);
            }

            var options = SidecarFrom(parse, out var error);
            if (options is null)
            {
                await Console.Error.WriteLineAsync($"mesh proxy: {error}").ConfigureAwait(false);
                return 2;
            }

            return await SidecarAsync(options, loggers, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static SidecarOptions? SidecarFrom(ParseResult parse, out string error)
    {
        var server = parse.GetValue(ControlPlane) ?? Environment.GetEnvironmentVariable("MESH_SERVER");
        var token = parse.GetValue(Token) ?? Environment.GetEnvironmentVariable("MESH_TOKEN");
        string? Problem()
        {
            if (server is null)
            {
                return "--config (static file) or --control-plane URL (or MESH_SERVER) is required";
            }

            if (!Uri.TryCreate(server, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                return $"--control-plane: '{server}' is not an http(s) URL";
            }

            return token is null ? "--token (or MESH_TOKEN) is required: an API token with the proxy role"
                : parse.GetValue(Namespace) is null ? "--namespace is required"
                : parse.GetValue(Service) is null ? "--service is required"
                : parse.GetValue(InboundPort) is < 1 or > 65535 ? $"--inbound-port: {parse.GetValue(InboundPort)} is not a TCP port (1-65535)"
                : parse.GetValue(AppPort) is < 1 or > 65535 ? $"--app-port: {parse.GetValue(AppPort)} is not a TCP port (1-65535)"
                : parse.GetValue(OutboundPort) is < 0 or > 65535 ? $"--outbound-port: {parse.GetValue(OutboundPort)} is not a TCP port"
                : parse.GetValue(AdminPort) is < 0 or > 65535 ? $"--admin-port: {parse.GetValue(AdminPort)} is not a TCP port"
                : parse.GetValue(Address) is { } a && !System.Net.IPAddress.TryParse(a, out _) ? $"--address: '{a}' is not an IP address"
                : parse.GetValue(AdvertiseAddress) is { } adv && Uri.CheckHostName(adv) == UriHostNameType.Unknown ? $"--advertise-address: '{adv}' is not an IP address or host name"
                : parse.GetValue(CertTtl) is { } c && (!Durations.TryParse(c, out var ct) || ct < TimeSpan.FromSeconds(2)) ? $"--cert-ttl: '{c}' is not a duration of at least 2s (e.g. 30s, 1h)"
                : parse.GetValue(LeaseTtl) is { } l && (!Durations.TryParse(l, out var lt) || lt < TimeSpan.FromSeconds(1)) ? $"--lease-ttl: '{l}' is not a duration of at least 1s"
                : null;
        }

        error = Problem() ?? "";
        if (error.Length > 0)
        {
            return null;
        }

        return new SidecarOptions
        {
            ControlPlane = new Uri(server!),
            Token = token!,
            Namespace = parse.GetValue(Namespace)!,
            Service = parse.GetValue(Service)!,
            Version = parse.GetValue(Version),
            InboundPort = parse.GetValue(InboundPort),
            AppPort = parse.GetValue(AppPort),
            OutboundPort = parse.GetValue(OutboundPort),
            AdminPort = parse.GetValue(AdminPort),
            Address = parse.GetValue(Address) ?? "127.0.0.1",
            AdvertiseAddress = parse.GetValue(AdvertiseAddress),
            CertificateTtl = parse.GetValue(CertTtl) is { } cert && Durations.TryParse(cert, out var certTtl) ? certTtl : null,
            LeaseTtl = parse.GetValue(LeaseTtl) is { } lease && Durations.TryParse(lease, out var leaseTtl) ? leaseTtl : TimeSpan.FromSeconds(30),
        };
    }

    private static async Task<int> SidecarAsync(SidecarOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        Sidecar sidecar;
        try
        {
            sidecar = await Sidecar.StartAsync(options, loggers, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        catch (Exception ex) when (ex is Mesh.ControlPlane.Client.MeshApiException or ProxyConfigException or IOException)
        {
            await Console.Error.WriteLineAsync($"mesh proxy: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (sidecar.ConfigureAwait(false))
        {
            Console.WriteLine($"mesh proxy: {options.Service}.{options.Namespace} ({sidecar.Identity.Current.SpiffeId}) — inbound {options.Address}:{options.InboundPort} → app :{options.AppPort}"
                + (options.OutboundPort > 0 ? $", outbound :{options.OutboundPort}" : "") + (options.AdminPort > 0 ? $", admin :{options.AdminPort}" : "")
                + $", control plane {options.ControlPlane}");
            await WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<int> StaticAsync(string path, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"mesh proxy: --config: file '{path}' does not exist").ConfigureAwait(false);
            return 2;
        }

        using var source = new FileProxyConfigSource(path);
        ProxyServer server;
        try
        {
            server = await ProxyServer.StartAsync(source, loggerFactory: loggers, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ProxyConfigException ex)
        {
            await Console.Error.WriteLineAsync($"mesh proxy: {path} is not a valid config:\n  {string.Join("\n  ", ex.Errors)}").ConfigureAwait(false);
            return 2;
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync($"mesh proxy: cannot listen: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (server.ConfigureAwait(false))
        {
            var c = server.Config;
            Console.WriteLine($"mesh proxy: {c.Service.Name} — " + string.Join(", ", c.Listeners.Select(l => $"{l.Mode.ToString().ToLowerInvariant()} {l.Address}:{l.Port}"))
                + (c.Admin is { } a ? $", admin {a.Address}:{a.Port}" : "") + (c.Telemetry.OtlpEndpoint is { } o ? $", OTLP → {o}" : ", telemetry export off"));
            await WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
