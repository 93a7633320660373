using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mesh.Ingest.Receivers;

/// <summary>Checks an <c>Authorization: Bearer …</c> header against the accepted tokens in constant time.</summary>
public static class BearerToken
{
    public static bool IsValid(HttpRequest request, IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(tokens);
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (header.Length <= Scheme.Length || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return Matches(header[Scheme.Length..].Trim(), tokens);
    }

    /// <summary>Whether <paramref name="presented"/> is one of <paramref name="tokens"/>, in constant time.</summary>
    public static bool Matches(string presented, IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(tokens);
        var bytes = Encoding.UTF8.GetBytes(presented);
        var ok = false;
        foreach (var token in tokens)
        {
            // Compare against every token so timing says nothing about which (if any) matched.
            ok |= CryptographicOperations.FixedTimeEquals(bytes, Encoding.UTF8.GetBytes(token));
        }

        return ok;
    }
}
