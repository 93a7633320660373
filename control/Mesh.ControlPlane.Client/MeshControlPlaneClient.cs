using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Mesh.ControlPlane.Client.Contracts;

namespace Mesh.ControlPlane.Client;

/// <summary>
/// The control-plane HTTP API (<c>/api/v1/config</c>, <c>/api/v1/ca</c>, <c>/api/v1/tokens</c>) for the CLI and for
/// proxies. Every error answer becomes a <see cref="MeshApiException"/> with the server's message.
/// </summary>
public sealed class MeshControlPlaneClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    public MeshControlPlaneClient(Uri server, string token)
        : this(new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan }, token, ownsHttp: true)
    {
    }

    public MeshControlPlaneClient(HttpClient http, string token, bool ownsHttp = false)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _ownsHttp = ownsHttp;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Per-call deadline for everything but the watch stream.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public Task<ApplyResult> ApplyAsync(string documents, bool dryRun = false, CancellationToken cancellationToken = default) =>
        SendAsync<ApplyResult>(HttpMethod.Post, "api/v1/config/apply" + (dryRun ? "?dryRun=true" : ""), new StringContent(documents, Encoding.UTF8, "application/yaml"), cancellationToken);

    /// <summary>Resources of one kind (<c>services</c>, <c>routes</c>, <c>policies</c>, <c>namespaces</c>, <c>endpoints</c> for static ones).</summary>
    public Task<IReadOnlyList<ResourceView>> ListAsync(string kind, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<ResourceView>>(HttpMethod.Get, $"api/v1/config/resources/{Uri.EscapeDataString(kind)}", null, cancellationToken);

    public Task<ApplyResult> DeleteAsync(string kind, string ns, string name, CancellationToken cancellationToken = default) =>
        SendAsync<ApplyResult>(HttpMethod.Delete, $"api/v1/config/resources/{Uri.EscapeDataString(kind)}/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}", null, cancellationToken);

    public Task<JsonElement> DescribeServiceAsync(string ns, string name, CancellationToken cancellationToken = default) =>
        SendAsync<JsonElement>(HttpMethod.Get, $"api/v1/config/services/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}", null, cancellationToken);

    public Task<IReadOnlyList<RevisionView>> RevisionsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<RevisionView>>(HttpMethod.Get, "api/v1/config/revisions", null, cancellationToken);

    public Task<ApplyResult> RollbackAsync(long revision, CancellationToken cancellationToken = default) =>
        SendAsync<ApplyResult>(HttpMethod.Post, "api/v1/config/rollback", JsonContent.Create(new RollbackRequest(revision), options: ControlPlaneJson.Options), cancellationToken);

    public Task<IReadOnlyList<EndpointView>> EndpointsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<EndpointView>>(HttpMethod.Get, "api/v1/config/endpoints", null, cancellationToken);

    public Task<LeaseView> RegisterAsync(RegisterEndpointRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<LeaseView>(HttpMethod.Post, "api/v1/config/endpoints", JsonContent.Create(request, options: ControlPlaneJson.Options), cancellationToken);

    /// <summary>Renews a lease; a <see cref="MeshApiException"/> with 404 means it lapsed and the endpoint must register again.</summary>
    public Task<LeaseView> RenewAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<LeaseView>(HttpMethod.Put, $"api/v1/config/endpoints/{Uri.EscapeDataString(id)}/lease", null, cancellationToken);

    public Task<JsonElement> DeregisterAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"api/v1/config/endpoints/{Uri.EscapeDataString(id)}", null, cancellationToken);

    public Task<IReadOnlyList<DecisionView>> DecisionsAsync(bool all = false, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<DecisionView>>(HttpMethod.Get, "api/v1/config/decisions" + (all ? "?all=true" : ""), null, cancellationToken);

    public Task<DecisionView> SetDecisionAsync(DecisionRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<DecisionView>(HttpMethod.Post, "api/v1/config/decisions", JsonContent.Create(request, options: ControlPlaneJson.Options), cancellationToken);

    public Task<JsonElement> ClearDecisionAsync(long id, CancellationToken cancellationToken = default) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"api/v1/config/decisions/{id.ToString(CultureInfo.InvariantCulture)}", null, cancellationToken);

    public Task<IReadOnlyList<ProxyStatusView>> ProxiesAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<ProxyStatusView>>(HttpMethod.Get, "api/v1/config/proxies", null, cancellationToken);

    public Task<JsonElement> AckAsync(string proxyId, long version, string? error = null, CancellationToken cancellationToken = default) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"api/v1/config/proxies/{Uri.EscapeDataString(proxyId)}/ack", JsonContent.Create(new AckRequest(version, error), options: ControlPlaneJson.Options), cancellationToken);

    public Task<CertificateResponse> SignAsync(CertificateRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<CertificateResponse>(HttpMethod.Post, "api/v1/ca/certificates", JsonContent.Create(request, options: ControlPlaneJson.Options), cancellationToken);

    public async Task<string> TrustRootAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync<JsonElement>(HttpMethod.Get, "api/v1/ca/root", null, cancellationToken).ConfigureAwait(false)).GetProperty("certificate").GetString()!;

    /// <summary>Creates a token; a <c>proxy</c> token needs <paramref name="scope"/> (<c>namespace/service</c> or <c>namespace/*</c>).</summary>
    public Task<TokenCreated> CreateTokenAsync(string name, string role, string? scope = null, CancellationToken cancellationToken = default) =>
        SendAsync<TokenCreated>(HttpMethod.Post, "api/v1/tokens", JsonContent.Create(new TokenCreateRequest(name, role, scope), options: ControlPlaneJson.Options), cancellationToken);

    public Task<IReadOnlyList<TokenView>> ListTokensAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<TokenView>>(HttpMethod.Get, "api/v1/tokens", null, cancellationToken);

    /// <summary>
    /// Opens the proxy's watch and yields each pushed snapshot (pings are swallowed). The first snapshot is the
    /// current state, so a reconnect resyncs. Ends when the server closes the stream; throws when it cannot be opened.
    /// </summary>
    public async IAsyncEnumerable<ProxySnapshot> WatchAsync(ProxyNode node, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        var query = string.Create(
            CultureInfo.InvariantCulture,
            $"api/v1/config/watch?proxy={Uri.EscapeDataString(node.Id)}&namespace={Uri.EscapeDataString(node.Namespace)}&service={Uri.EscapeDataString(node.Service)}" +
            $"&version={Uri.EscapeDataString(node.Version ?? "")}&inboundPort={node.InboundPort}&outboundPort={node.OutboundPort}&appAddress={Uri.EscapeDataString(node.AppAddress)}&appPort={node.AppPort}");
        using var request = new HttpRequestMessage(HttpMethod.Get, query);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                var message = JsonSerializer.Deserialize<WatchMessage>(line, ControlPlaneJson.Options);
                if (message is { Type: "snapshot", Snapshot: { } snapshot })
                {
                    yield return snapshot;
                }
            }
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, timeout.Token).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync<T>(ControlPlaneJson.Options, timeout.Token).ConfigureAwait(false))!;
    }

    private static async Task ThrowIfErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var message = body;
        try
        {
            using var problem = JsonDocument.Parse(body);
            if (problem.RootElement.TryGetProperty("detail", out var detail))
            {
                message = detail.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
        }

        throw new MeshApiException(response.StatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}: {message}");
    }
}
