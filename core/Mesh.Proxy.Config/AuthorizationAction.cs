using System.Text.Json.Serialization;

namespace Mesh.Proxy.Config;

public enum AuthorizationAction
{
    [JsonStringEnumMemberName("allow")]
    Allow,

    /// <summary>Wins over every ALLOW: a request matched by a DENY policy is refused whatever else matches.</summary>
    [JsonStringEnumMemberName("deny")]
    Deny,
}
