using System.CommandLine;
using Mesh.Proxy;
using Mesh.Proxy.Config;
using Mesh.Proxy.Configuration;
using Microsoft.Extensions.Logging;

namespace Mesh.Web.Cli;

/// <summary><c>mesh proxy --config proxy.yaml</c>: runs the data plane from a static file, reloading it when it changes.</summary>
internal static class ProxyCommand
{
    private static readonly Option<string> Config = new("--config") { Description = "Proxy config file (YAML or JSON). Env: MESH_PROXY_CONFIG" };

    public static Command Create()
    {
        var command = new Command("proxy", "Run the sidecar / ingress proxy (routes, balances, protects and observes every request).") { Config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(Config) ?? Environment.GetEnvironmentVariable("MESH_PROXY_CONFIG");
            if (path is null)
            {
                await Console.Error.WriteLineAsync("mesh proxy: --config is required (a YAML or JSON proxy config file)").ConfigureAwait(false);
                return 2;
            }

            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"mesh proxy: --config: file '{path}' does not exist").ConfigureAwait(false);
                return 2;
            }

            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            }).SetMinimumLevel(LogLevel.Information));
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
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return 0;
        });
        return command;
    }
}
