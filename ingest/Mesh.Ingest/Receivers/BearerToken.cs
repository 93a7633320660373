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

        var presented = Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim());
        var ok = false;
        foreach (var token in tokens)
        {
            // Compare against every token so timing says nothing about which (if any) matched.
            ok |= CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(token));
        }

        return ok;
    }
}
