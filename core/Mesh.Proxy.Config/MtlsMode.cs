using System.Text.Json.Serialization;

namespace Mesh.Proxy.Config;

/// <summary>What an inbound listener accepts from callers.</summary>
public enum MtlsMode
{
    /// <summary>Only mTLS with a client certificate chaining to the mesh trust root; plaintext is refused.</summary>
    [JsonStringEnumMemberName("strict")]
    Strict,

    /// <summary>mTLS and plaintext on the same port (the first byte tells a TLS ClientHello from HTTP), for migrations.</summary>
    [JsonStringEnumMemberName("permissive")]
    Permissive,

    /// <summary>Plaintext only; outbound clusters still originate mTLS when they name an identity.</summary>
    [JsonStringEnumMemberName("disabled")]
    Disabled,
}
