using System.Net;

namespace Mesh.Demo.Hosting;

/// <summary>The lean Kestrel host every demo process starts from: one loopback (or given) address and port, quiet logs, a clock.</summary>
internal static class DemoWebApp
{
    public static WebApplicationBuilder CreateBuilder(string listenAddress, int port, TimeProvider? time)
    {
        // No appsettings.json and no watching for one: the default builder's recursive inotify watch over the working
        // directory wakes a thread in every demo process on each file the platform writes.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(listenAddress), port));
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        return builder;
    }
}
