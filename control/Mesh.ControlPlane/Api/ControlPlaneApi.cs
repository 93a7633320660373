using System.Globalization;
using System.Text;
using System.Text.Json;
using Mesh.ControlPlane.Access;
using Mesh.ControlPlane.Client;
using Mesh.ControlPlane.Client.Contracts;
using Mesh.ControlPlane.Config;
using Mesh.ControlPlane.Decisions;
using Mesh.ControlPlane.Distribution;
using Mesh.ControlPlane.Identity;
using Mesh.ControlPlane.Registry;
using Mesh.ControlPlane.Resources;
using Mesh.Core.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mesh.ControlPlane.Api;

/// <summary>
/// The control-plane API under <c>/api/v1</c>: <c>/config/...</c> (resources, revisions, rollback, endpoints,
/// decisions, proxies, the watch stream), <c>/ca/...</c>, <c>/tokens</c> and <c>/audit</c>, each with the role it needs.
/// </summary>
public static class ControlPlaneApi
{
    public static void MapControlPlaneApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var read = Group(api, Roles.Viewer);
        read.MapGet("/config/resources/{kind}", ListResources);
        read.MapGet("/config/services/{ns}/{name}", DescribeService);
        read.MapGet("/config/revisions", ListRevisions);
        read.MapGet("/config/revisions/{revision:long}", GetRevision);
        read.MapGet("/config/endpoints", (ControlPlaneState state) => Json(EffectiveEndpoints.Of(state.Current)));
        read.MapGet("/config/decisions", async (HttpRequest request, DecisionService decisions, CancellationToken ct) =>
            Json(await decisions.ListAsync(request.Query["all"] == "true", ct).ConfigureAwait(false)));
        read.MapGet("/config/proxies", (WatchHub hub) => Json(hub.Statuses()));

        var write = Group(api, Roles.Operator);
        write.MapPost("/config/apply", Apply);
        write.MapDelete("/config/resources/{kind}/{ns}/{name}", Delete);
        write.MapPost("/config/rollback", Rollback);
        write.MapPost("/config/decisions", async (HttpContext http, DecisionService decisions, CancellationToken ct) =>
            Json(await decisions.SetAsync(await Body<DecisionRequest>(http.Request, ct).ConfigureAwait(false), RequireRole.CallerOf(http).Name, ct).ConfigureAwait(false)));
        write.MapDelete("/config/decisions/{id:long}", async (long id, HttpContext http, DecisionService decisions, CancellationToken ct) =>
        {
            await decisions.ClearAsync(id, RequireRole.CallerOf(http).Name, ct).ConfigureAwait(false);
            return Json(new { cleared = id });
        });

        var proxy = Group(api, Roles.Proxy);
        proxy.MapPost("/config/endpoints", async (HttpContext http, EndpointRegistry registry, CancellationToken ct) =>
        {
            var body = await Body<RegisterEndpointRequest>(http.Request, ct).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(body.Namespace) && !string.IsNullOrEmpty(body.Service))
            {
                ScopeCheck.Require(RequireRole.CallerOf(http), body.Namespace, body.Service, "an endpoint registration");
            }

            return Json(await registry.RegisterAsync(body, ct).ConfigureAwait(false));
        });
        // A lease or a proxy status belongs to one workload: a scoped proxy token touches only its own.
        proxy.MapPut("/config/endpoints/{*id}", async (string id, HttpContext http, EndpointRegistry registry, CancellationToken ct) =>
        {
            var lease = OwnLease(http, LeaseId(StripLease(id)), "a lease renewal");
            return Json(await registry.RenewAsync(lease, ct).ConfigureAwait(false));
        });
        proxy.MapDelete("/config/endpoints/{*id}", async (string id, HttpContext http, EndpointRegistry registry, CancellationToken ct) =>
        {
            var lease = OwnLease(http, LeaseId(id), "a deregistration");
            await registry.DeregisterAsync(lease, ct).ConfigureAwait(false);
            return Json(new { deregistered = lease });
        });
        proxy.MapGet("/config/watch", WatchEndpoint.StreamAsync);
        proxy.MapPost("/config/proxies/{id}/ack", async (string id, HttpContext http, WatchHub hub, CancellationToken ct) =>
        {
            var ack = await Body<AckRequest>(http.Request, ct).ConfigureAwait(false);
            var (ns, service) = hub.WorkloadOf(id) ?? throw NeverWatched(id);
            ScopeCheck.Require(RequireRole.CallerOf(http), ns, service, $"an ACK of proxy '{id}'");
            return hub.Acknowledge(id, ack.Version, ack.Error) ? Json(new { acknowledged = ack.Version }) : throw NeverWatched(id);

            static KeyNotFoundException NeverWatched(string id) => new($"proxy '{id}' has never opened a watch");
        });
        proxy.MapPost("/ca/certificates", async (HttpContext http, MeshCertificateAuthority ca, CancellationToken ct) =>
        {
            var body = await Body<Client.Contracts.CertificateRequest>(http.Request, ct).ConfigureAwait(false);
            return Json(ca.Sign(body.Csr ?? "", body.Namespace ?? "", body.Service ?? "", body.TtlSeconds, RequireRole.CallerOf(http)));
        });

        // Every role may read the trust root: proxies verify peers with it, people inspect it.
        Group(api, Roles.Proxy).MapGet("/ca/root", (MeshCertificateAuthority ca) => Json(new { certificate = ca.RootPem, trustDomain = ca.TrustDomain }));
        Group(api, Roles.Viewer).MapGet("/ca/root/info", (MeshCertificateAuthority ca) => Json(new { subject = ca.Root.Subject, notAfter = ca.Root.NotAfter, trustDomain = ca.TrustDomain }));

        var admin = Group(api, Roles.Admin);
        admin.MapPost("/tokens", async (HttpContext http, TokenService tokens, CancellationToken ct) =>
        {
            var body = await Body<TokenCreateRequest>(http.Request, ct).ConfigureAwait(false);
            return Json(await tokens.CreateAsync(body.Name ?? "", body.Role ?? "", body.Scope, RequireRole.CallerOf(http).Name, ct).ConfigureAwait(false));
        });
        admin.MapGet("/tokens", async (TokenService tokens, CancellationToken ct) => Json(await tokens.ListAsync(ct).ConfigureAwait(false)));
        admin.MapDelete("/tokens/{id}", async (string id, HttpContext http, TokenService tokens, CancellationToken ct) =>
        {
            await tokens.RevokeAsync(id, RequireRole.CallerOf(http).Name, ct).ConfigureAwait(false);
            return Json(new { revoked = id });
        });
        admin.MapGet("/audit", async (HttpRequest request, IMetadataStore store, CancellationToken ct) =>
        {
            var limit = int.TryParse(request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 1000) : 100;
            return Json(await store.Audit.ListAsync(limit, ct).ConfigureAwait(false));
        });
    }

    internal static IResult Json(object? value) => Results.Json(value, ControlPlaneJson.Options);

    private static RouteGroupBuilder Group(RouteGroupBuilder api, string role)
    {
        var group = api.MapGroup("");
        group.AddEndpointFilter(new RequireRole(role));
        group.AddEndpointFilter(new ControlPlaneErrors());
        return group;
    }

    /// <summary>
    /// Lease ids hold slashes (<c>ns/service/address:port</c>) and clients send them escaped as one segment; a catch-all
    /// route value keeps <c>%2F</c> as it came (the server never decodes it in a path), so it is decoded here.
    /// </summary>
    private static string LeaseId(string id) => Uri.UnescapeDataString(id);

    /// <summary>
    /// The lease id, once the caller's token is found to cover its workload (ids are <c>ns/service/address:port</c>,
    /// made by the registry from validated names); an id of any other shape names no lease.
    /// </summary>
    private static string OwnLease(HttpContext http, string id, string asked)
    {
        var parts = id.Split('/');
        if (parts.Length != 3 || parts.Any(string.IsNullOrEmpty))
        {
            throw new KeyNotFoundException($"endpoint '{id}' is not a lease id (namespace/service/address:port)");
        }

        ScopeCheck.Require(RequireRole.CallerOf(http), parts[0], parts[1], $"{asked} of '{id}'");
        return id;
    }

    private static string StripLease(string id) => id.EndsWith("/lease", StringComparison.Ordinal) ? id[..^"/lease".Length] : id;

    private static async Task<T> Body<T>(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, ControlPlaneJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new BadHttpRequestException("the request body is empty; send a JSON object");
        }
        catch (JsonException ex)
        {
            throw new BadHttpRequestException($"the request body is not valid JSON for this call: {ex.Message}");
        }
    }

    private static async Task<IResult> Apply(HttpContext http, ConfigService config, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        var dryRun = http.Request.Query["dryRun"] == "true";
        return Json(await config.ApplyAsync(text, RequireRole.CallerOf(http).Name, dryRun, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<IResult> Delete(string kind, string ns, string name, HttpContext http, ConfigService config, CancellationToken cancellationToken) =>
        Json(await config.DeleteAsync(Kind(kind), ns, name, RequireRole.CallerOf(http).Name, cancellationToken).ConfigureAwait(false));

    private static async Task<IResult> Rollback(HttpContext http, ConfigService config, CancellationToken cancellationToken)
    {
        var body = await Body<RollbackRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        return Json(await config.RollbackAsync(body.Revision, RequireRole.CallerOf(http).Name, cancellationToken).ConfigureAwait(false));
    }

    private static IResult ListResources(string kind, ControlPlaneState state) =>
        Json(state.Current.Config.OfKind(Kind(kind)).Select(r => View(r, state.Current.Config.Revision)).ToList());

    private static IResult DescribeService(string ns, string name, ControlPlaneState state)
    {
        var inputs = state.Current;
        var service = inputs.Config.Find(ResourceKinds.Service, ns, name) ?? throw new KeyNotFoundException($"service {ns}/{name} does not exist");
        var revision = inputs.Config.Revision;
        return Json(new
        {
            service = View(service, revision),
            routes = inputs.Config.OfKind(ResourceKinds.Route).Where(r => r.Namespace == ns && r.As<RouteSpec>().Service == name).Select(r => View(r, revision)).ToList(),
            policies = inputs.Config.OfKind(ResourceKinds.AuthorizationPolicy).Where(r => r.Namespace == ns && (r.As<AuthorizationPolicySpec>().Service ?? name) == name).Select(r => View(r, revision)).ToList(),
            endpoints = EffectiveEndpoints.Of(inputs).Where(e => e.Namespace == ns && e.Service == name).ToList(),
            decisions = inputs.Decisions.Where(d => d.Namespace == ns && d.Service == name).ToList(),
        });
    }

    private static async Task<IResult> ListRevisions(HttpRequest request, IMetadataStore store, CancellationToken cancellationToken)
    {
        var limit = int.TryParse(request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 1000) : 50;
        var revisions = await store.Config.ListRevisionsAsync(limit, cancellationToken).ConfigureAwait(false);
        return Json(revisions.Select(RevisionView).ToList());
    }

    private static async Task<IResult> GetRevision(long revision, IMetadataStore store, CancellationToken cancellationToken)
    {
        var found = await store.Config.GetRevisionAsync(revision, cancellationToken).ConfigureAwait(false);
        return found is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"revision {revision} does not exist")
            : Json(new { revision = RevisionView(found), resources = JsonDocument.Parse(found.Snapshot!).RootElement });
    }

    private static RevisionView RevisionView(ConfigRevision r) => new(r.Number, r.Author, r.At, r.Message, JsonDocument.Parse(r.Diff).RootElement);

    private static ResourceView View(Resource r, long revision) =>
        new(r.Kind, r.Namespace, r.Name, r.Labels, JsonSerializer.SerializeToElement(r.Document["spec"], ControlPlaneJson.Options), revision);

    private static string Kind(string kind) =>
        ResourceKinds.Resolve(kind) ?? throw new KeyNotFoundException($"'{kind}' is not a resource kind (use {string.Join(", ", ResourceKinds.All)})");
}
