namespace Mesh.Proxy.Pipeline;

internal static class ResponseFlagsText
{
    private static readonly (ResponseFlags Flag, string Code)[] Codes =
    [
        (ResponseFlags.NoRoute, "NR"), (ResponseFlags.NoHealthyUpstream, "UH"), (ResponseFlags.Overflow, "UO"),
        (ResponseFlags.RateLimited, "RL"), (ResponseFlags.UpstreamTimeout, "UT"), (ResponseFlags.ConnectFailure, "UF"),
        (ResponseFlags.UpstreamReset, "UC"), (ResponseFlags.RetryExhausted, "URX"), (ResponseFlags.FaultAbort, "FI"),
        (ResponseFlags.FaultDelay, "DI"), (ResponseFlags.AuthzDenied, "RBAC"),
    ];

    public static string Format(ResponseFlags flags) =>
        string.Join(',', Codes.Where(c => (flags & c.Flag) != 0).Select(c => c.Code));
}
