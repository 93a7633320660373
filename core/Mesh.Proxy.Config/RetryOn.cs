using System.Text.Json.Serialization;

namespace Mesh.Proxy.Config;

/// <summary>Conditions a retry policy retries on.</summary>
public enum RetryOn
{
    /// <summary>Any 5xx response.</summary>
    [JsonStringEnumMemberName("5xx")]
    ServerError,

    /// <summary>502, 503, 504.</summary>
    [JsonStringEnumMemberName("gateway-error")]
    GatewayError,

    [JsonStringEnumMemberName("connect-failure")]
    ConnectFailure,

    /// <summary>The upstream reset or closed the connection before a response.</summary>
    [JsonStringEnumMemberName("reset")]
    Reset,

    /// <summary>A try hit its per-try timeout.</summary>
    [JsonStringEnumMemberName("per-try-timeout")]
    PerTryTimeout,

    /// <summary>gRPC status in <see cref="RetryPolicy.GrpcStatusCodes"/> (in headers or trailers-only responses).</summary>
    [JsonStringEnumMemberName("retriable-grpc")]
    RetriableGrpc,
}
