using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Mesh.ControlPlane.Client.Contracts;
using Mesh.ControlPlane.Resources;
using Mesh.Core.Metadata;

namespace Mesh.ControlPlane.Access;

/// <summary>
/// API tokens: random secrets shown once, stored as SHA-256 hashes (the secrets carry 192 random bits, so a fast
/// hash is enough). Lookups are cached for a few seconds; a revocation takes effect within that time.
/// </summary>
public sealed class TokenService(IMetadataStore store, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (Caller? Caller, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Makes sure <paramref name="secret"/> is a stored admin token (the one <c>mesh up</c> generated or was given).</summary>
    public async Task EnsureAdminAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = Hash(secret);
        if (await store.Tokens.FindByHashAsync(hash, cancellationToken).ConfigureAwait(false) is null)
        {
            await store.Tokens.CreateAsync(new ApiTokenRecord("admin-" + hash[..12], "admin", Roles.Admin, hash, time.GetUtcNow(), "mesh up", null), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Creates a token. A <c>proxy</c> token needs <paramref name="scope"/> (<c>namespace/service</c> or
    /// <c>namespace/*</c>): the workloads it may get certificates, endpoints and watches for; other roles take none.
    /// </summary>
    public async Task<TokenCreated> CreateAsync(string name, string role, string? scope, string createdBy, CancellationToken cancellationToken)
    {
        var errors = new List<ResourceError>();
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            errors.Add(new ResourceError("token", "name", "is required (at most 100 characters)"));
        }

        if (!Roles.All.Contains(role, StringComparer.Ordinal))
        {
            errors.Add(new ResourceError("token", "role", $"'{role}' is not a role (use {string.Join(", ", Roles.All)})"));
        }

        TokenScope? parsed = null;
        if (role == Roles.Proxy)
        {
            parsed = string.IsNullOrEmpty(scope)
                ? AddError(errors, "is required for a proxy token: 'namespace/service' (one workload) or 'namespace/*'")
                : TokenScope.Parse(scope, errors);
        }
        else if (!string.IsNullOrEmpty(scope))
        {
            AddError(errors, $"only proxy tokens take a scope (role '{role}' is not limited to workloads)");
        }

        if (errors.Count > 0)
        {
            throw new ResourceValidationException(errors);
        }

        var secret = "mesh_" + role + "_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var id = "tok_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var now = time.GetUtcNow();
        await store.Tokens.CreateAsync(new ApiTokenRecord(id, name, role, Hash(secret), now, createdBy, null, parsed?.ToString()), cancellationToken).ConfigureAwait(false);
        var detail = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string?> { ["name"] = name, ["role"] = role, ["scope"] = parsed?.ToString() });
        await store.Audit.AppendAsync(new AuditEntry(0, now, createdBy, "token.create", id, detail), cancellationToken).ConfigureAwait(false);
        return new TokenCreated(id, name, role, secret, parsed?.ToString());
    }

    public async Task<IReadOnlyList<TokenView>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await store.Tokens.ListAsync(cancellationToken).ConfigureAwait(false)).Select(t => new TokenView(t.Id, t.Name, t.Role, t.CreatedAt, t.CreatedBy, t.RevokedAt, t.Scope))];

    public async Task RevokeAsync(string id, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!await store.Tokens.RevokeAsync(id, now, cancellationToken).ConfigureAwait(false))
        {
            throw new KeyNotFoundException($"token '{id}' does not exist or is already revoked");
        }

        _cache.Clear();
        await store.Audit.AppendAsync(new AuditEntry(0, now, actor, "token.revoke", id, "{}"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The caller a bearer secret belongs to, or null for an unknown or revoked one.</summary>
    public async ValueTask<Caller?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = Hash(secret);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Caller;
        }

        var record = await store.Tokens.FindByHashAsync(hash, cancellationToken).ConfigureAwait(false);
        var caller = record is null ? null : new Caller(record.Name, record.Role, TokenScope.FromStored(record.Scope));
        _cache[hash] = (caller, now + CacheFor);
        return caller;
    }

    private static TokenScope? AddError(List<ResourceError> errors, string message)
    {
        errors.Add(new ResourceError("token", "scope", message));
        return null;
    }
}
