using System.Globalization;
using Mesh.ControlPlane.Client.Contracts;
using Mesh.ControlPlane.Distribution;
using Mesh.ControlPlane.Resources;
using Microsoft.AspNetCore.Http;

namespace Mesh.ControlPlane.Api;

/// <summary>
/// <c>GET /api/v1/config/watch</c>: one long-lived NDJSON response per proxy. Each line is a snapshot or a ping;
/// the first line is always the current snapshot. The stream ends when the proxy goes or Mesh stops.
/// </summary>
internal static class WatchEndpoint
{
    private static readonly byte[] Ping = "{\"type\":\"ping\"}\n"u8.ToArray();

    public static async Task StreamAsync(HttpContext http, WatchHub hub, DistributionOptions options)
    {
        var q = http.Request.Query;
        var errors = new List<ResourceError>();
        var id = q["proxy"].ToString();
        if (string.IsNullOrWhiteSpace(id))
        {
            errors.Add(new ResourceError("watch", "proxy", "is required (the proxy's id)"));
        }

        Names.Check(q["namespace"], "watch", "namespace", errors);
        Names.Check(q["service"], "watch", "service", errors);
        int Port(string name)
        {
            var raw = q[name].ToString();
            if (raw.Length == 0)
            {
                return 0;
            }

            if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            {
                errors.Add(new ResourceError("watch", name, $"'{raw}' is not a TCP port"));
            }

            return port;
        }

        var node = new ProxyNode
        {
            Id = id,
            Namespace = q["namespace"].ToString(),
            Service = q["service"].ToString(),
            Version = q["version"].ToString() is { Length: > 0 } v ? v : null,
            InboundPort = Port("inboundPort"),
            OutboundPort = Port("outboundPort"),
            AppAddress = q["appAddress"].ToString() is { Length: > 0 } a ? a : "127.0.0.1",
            AppPort = Port("appPort"),
        };
        if (errors.Count > 0)
        {
            throw new ResourceValidationException(errors);
        }

        Access.ScopeCheck.Require(Access.RequireRole.CallerOf(http), node.Namespace, node.Service, "a watch");

        http.Response.ContentType = "application/x-ndjson";
        http.Response.Headers.CacheControl = "no-cache";
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        var watcher = hub.Connect(node);
        var aborted = http.RequestAborted;
        try
        {
            await http.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
            var reader = watcher.Queue.Reader;
            while (!aborted.IsCancellationRequested)
            {
                using var ping = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                ping.CancelAfter(options.PingInterval);
                byte[] line;
                try
                {
                    line = await reader.ReadAsync(ping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    await http.Response.Body.WriteAsync(Ping, aborted).ConfigureAwait(false);
                    await http.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
                    continue;
                }

                // The line (newline included) was encoded once by the hub: one write, one flush, one chunk on the wire.
                await http.Response.Body.WriteAsync(line, aborted).ConfigureAwait(false);
                await http.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The proxy went away or Mesh is stopping.
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
        }
        finally
        {
            hub.Disconnect(watcher);
        }
    }
}
