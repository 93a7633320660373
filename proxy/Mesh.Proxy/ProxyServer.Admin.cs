using System.Globalization;
using Mesh.Proxy.Admin;
using Mesh.Proxy.Config;
using Mesh.Proxy.Runtime;
using Microsoft.AspNetCore.Http;

namespace Mesh.Proxy;

/// <summary>The admin port: /metrics, /ready, /config_dump, /stats and POST /endpoints/weight.</summary>
public sealed partial class ProxyServer
{
    private async Task AdminAsync(HttpContext http, RuntimeSnapshot snapshot)
    {
        var time = _runtime.Environment.Time;
        var response = http.Response;
        switch (http.Request.Path.Value)
        {
            case "/metrics":
                response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await response.WriteAsync(PrometheusWriter.Write(_counters, snapshot, _exporter, time)).ConfigureAwait(false);
                break;
            case "/ready":
                response.ContentType = "text/plain";
                await response.WriteAsync("ready\n").ConfigureAwait(false);
                break;
            case "/config_dump":
                response.ContentType = "application/json";
                await response.WriteAsync(ProxyConfigSerializer.ToJson(snapshot.Config, indented: true)).ConfigureAwait(false);
                break;
            case "/stats":
                response.ContentType = "application/json";
                await response.Body.WriteAsync(StatsWriter.Write(_counters, snapshot, _exporter, time)).ConfigureAwait(false);
                break;
            case "/endpoints/weight" when HttpMethods.IsPost(http.Request.Method):
                await SetWeightAsync(http).ConfigureAwait(false);
                break;
            default:
                response.StatusCode = StatusCodes.Status404NotFound;
                await response.WriteAsync("admin: /metrics, /ready, /config_dump, /stats, POST /endpoints/weight?cluster=&endpoint=&weight=\n").ConfigureAwait(false);
                break;
        }
    }

    private async Task SetWeightAsync(HttpContext http)
    {
        var q = http.Request.Query;
        if (!int.TryParse(q["weight"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var weight) || weight is < 0 or > 1000)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync("weight: expected a whole number 0-1000 (0 clears the override)\n").ConfigureAwait(false);
            return;
        }

        if (!SetEndpointWeight(q["cluster"].ToString(), q["endpoint"].ToString(), weight))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            await http.Response.WriteAsync($"no endpoint '{q["endpoint"]}' in cluster '{q["cluster"]}'\n").ConfigureAwait(false);
            return;
        }

        await http.Response.WriteAsync("ok\n").ConfigureAwait(false);
    }
}
