using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mesh.Demo.Hosting;

/// <summary>
/// Calls other demo services the way a meshed application does: always to the one outbound sidecar address,
/// naming the target service in the Host header, so the proxy (or a test's router) decides where it lands.
/// </summary>
internal sealed class UpstreamClient(HttpClient http, DemoServiceOptions options)
{
    public const string HttpClientName = "upstream";

    public async Task<UpstreamResponse> SendAsync(
        string service, HttpMethod method, string path, object? body, CancellationToken cancellationToken, string? authorization = null)
    {
        var upstream = options.Upstream
            ?? throw new InvalidOperationException($"{options.Name} calls {service} but was started without --upstream");
        using var request = new HttpRequestMessage(method, new Uri(upstream, path));
        request.Headers.Host = service;
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: DemoJson.Options);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var json = default(JsonElement);
            if (response.Content.Headers.ContentLength != 0
                && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
            {
                try
                {
                    json = await response.Content.ReadFromJsonAsync<JsonElement>(DemoJson.Options, cancellationToken).ConfigureAwait(false);
                }
                catch (JsonException)
                {
                    // A proxy's own error page is not JSON: keep the status, drop the body.
                }
            }

            return new UpstreamResponse(service, response.StatusCode, json);
        }
        catch (HttpRequestException)
        {
            return new UpstreamResponse(service, HttpStatusCode.BadGateway, default);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new UpstreamResponse(service, HttpStatusCode.GatewayTimeout, default);
        }
    }

    public Task<UpstreamResponse> GetAsync(string service, string path, CancellationToken cancellationToken, string? authorization = null) =>
        SendAsync(service, HttpMethod.Get, path, null, cancellationToken, authorization);

    public Task<UpstreamResponse> PostAsync(string service, string path, object body, CancellationToken cancellationToken, string? authorization = null) =>
        SendAsync(service, HttpMethod.Post, path, body, cancellationToken, authorization);
}
