using System.Net;
using Mesh.Testing;

namespace Mesh.Demo.Tests.Fixtures;

/// <summary>A silent Kestrel app on a free loopback port, for the test stand-ins (router, OTLP receiver).</summary>
public static class LoopbackApp
{
    public static (WebApplication App, int Port) Create()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        return (builder.Build(), port);
    }
}
