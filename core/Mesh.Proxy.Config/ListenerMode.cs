using System.Text.Json.Serialization;

namespace Mesh.Proxy.Config;

/// <summary>Which side of a service a listener serves; decides span kind and source/destination attributes.</summary>
public enum ListenerMode
{
    /// <summary>In front of the local service: SERVER spans, destination is the local service.</summary>
    [JsonStringEnumMemberName("inbound")]
    Inbound,

    /// <summary>The local app's calls out, routed by Host/authority: CLIENT spans, source is the local service.</summary>
    [JsonStringEnumMemberName("outbound")]
    Outbound,

    /// <summary>Edge gateway: SERVER spans, source is the gateway.</summary>
    [JsonStringEnumMemberName("ingress")]
    Ingress,
}
