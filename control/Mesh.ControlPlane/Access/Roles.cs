namespace Mesh.ControlPlane.Access;

/// <summary>
/// API roles. <c>viewer</c> reads; <c>operator</c> also changes config and routing decisions; <c>admin</c> also manages
/// tokens and the CA. <c>proxy</c> is for proxies only: register endpoints, watch, ACK, get certificates.
/// </summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";
    public const string Proxy = "proxy";

    public static readonly string[] All = [Viewer, Operator, Admin, Proxy];

    /// <summary>Whether a token with role <paramref name="held"/> may make a call that needs <paramref name="needed"/>.</summary>
    public static bool Satisfies(string held, string needed) => held switch
    {
        Admin => true,
        Operator => needed is Operator or Viewer,
        _ => held == needed,
    };
}
