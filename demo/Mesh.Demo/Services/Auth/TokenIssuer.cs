using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mesh.Demo.Services.Auth;

/// <summary>
/// Stateless session tokens (<c>user.expiry.hmac</c>): any auth replica or version can verify what another
/// issued, so the canary and restarts never log shoppers out.
/// </summary>
internal sealed class TokenIssuer(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    // A demo store's key, the same in every process; not a secret worth protecting.
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("mesh-demo-session-key");

    public (string Token, DateTimeOffset Expires) Issue(string userId)
    {
        var expires = time.GetUtcNow() + Lifetime;
        var payload = $"{userId}.{expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
        return ($"{payload}.{Sign(payload)}", expires);
    }

    public string? Verify(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 } || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry))
        {
            return null;
        }

        var payload = $"{parts[0]}.{parts[1]}";
        var expected = Encoding.ASCII.GetBytes(Sign(payload));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[2]))
            && time.GetUtcNow().ToUnixTimeSeconds() < expiry
                ? parts[0]
                : null;
    }

    private static string Sign(string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(payload)));
}
