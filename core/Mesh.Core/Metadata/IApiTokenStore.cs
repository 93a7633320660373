namespace Mesh.Core.Metadata;

/// <summary>API tokens. Only a hash of each secret is stored; the secret itself is shown once, at creation.</summary>
public interface IApiTokenStore
{
    /// <summary>Stores a new token; throws <see cref="InvalidOperationException"/> when the id or hash exists.</summary>
    ValueTask CreateAsync(ApiTokenRecord token, CancellationToken cancellationToken);

    /// <summary>The unrevoked token with this hash, or null.</summary>
    ValueTask<ApiTokenRecord?> FindByHashAsync(string hash, CancellationToken cancellationToken);

    /// <summary>Every token (revoked ones too), oldest first.</summary>
    ValueTask<IReadOnlyList<ApiTokenRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Marks the token revoked; false when it is unknown or already revoked.</summary>
    ValueTask<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}
