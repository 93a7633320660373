namespace Mesh.Web.Demo;

/// <summary>Where the demo's sidecars get their config.</summary>
internal enum DemoSidecarMode
{
    /// <summary>A generated static file per sidecar (<c>mesh proxy --config</c>); split changes rewrite the files.</summary>
    Static,

    /// <summary>The control plane's watch (<c>mesh proxy --control-plane</c>): mTLS, endpoint leases, routes from resources.</summary>
    ControlPlane,
}
