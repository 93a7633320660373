namespace Mesh.Web.Demo;

/// <summary>The demo runner once it is started (null when <c>mesh up</c> runs without <c>--demo</c>), for the API.</summary>
internal sealed class DemoState
{
    private volatile DemoRunner? _runner;

    public DemoRunner? Runner
    {
        get => _runner;
        set => _runner = value;
    }
}
