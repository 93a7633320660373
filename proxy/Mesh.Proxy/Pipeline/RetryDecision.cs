using System.Globalization;
using Mesh.Proxy.Config;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Resilience;

namespace Mesh.Proxy.Pipeline;

/// <summary>How a try's result reads to passive health and to the retry policy.</summary>
internal static class RetryDecision
{
    public static Outcome Outcome(int status, TryFailure failure) => failure switch
    {
        TryFailure.ConnectFailure or TryFailure.Reset or TryFailure.PerTryTimeout or TryFailure.RouteTimeout => Resilience.Outcome.GatewayFailure,
        TryFailure.ClientGone => Resilience.Outcome.Success,
        _ when status is 502 or 503 or 504 => Resilience.Outcome.GatewayFailure,
        _ when status >= 500 => Resilience.Outcome.ServerError,
        _ => Resilience.Outcome.Success,
    };

    public static bool Retriable(RetryPolicy policy, int status, TryFailure failure, HttpResponseMessage? response)
    {
        foreach (var on in policy.On)
        {
            var hit = on switch
            {
                RetryOn.ServerError => failure == TryFailure.None && status >= 500,
                RetryOn.GatewayError => (failure == TryFailure.None && status is 502 or 503 or 504) || failure is TryFailure.ConnectFailure,
                RetryOn.ConnectFailure => failure == TryFailure.ConnectFailure,
                RetryOn.Reset => failure == TryFailure.Reset,
                RetryOn.PerTryTimeout => failure == TryFailure.PerTryTimeout,
                RetryOn.RetriableGrpc => GrpcStatus(response) is { } code && policy.GrpcStatusCodes.Contains(code),
                _ => false,
            };
            if (hit)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>grpc-status when it is in the response headers (a trailers-only gRPC response).</summary>
    public static int? GrpcStatus(HttpResponseMessage? response) =>
        response is not null && response.Headers.NonValidated.TryGetValues("grpc-status", out var values)
            && int.TryParse(values.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code)
            ? code
            : null;
}
