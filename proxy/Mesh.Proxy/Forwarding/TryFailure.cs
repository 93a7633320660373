namespace Mesh.Proxy.Forwarding;

/// <summary>Why a try produced no response.</summary>
internal enum TryFailure
{
    None,
    ConnectFailure,
    Reset,
    PerTryTimeout,
    RouteTimeout,
    ClientGone,
}
