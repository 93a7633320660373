using Microsoft.AspNetCore.Builder;

namespace Mesh.Proxy;

/// <summary>
/// The slim ASP.NET Core builder without its file watching. The default builder reads an optional appsettings.json
/// from the content root (the working directory) and watches for it to change: a recursive inotify watch over the whole
/// directory tree (a repository root: node_modules, bin, the data dir), and a thread woken by every file write below it
/// (spool segments, SQLite pages, logs). Mesh has no appsettings.json (settings come from flags, env and its own config
/// file), so nothing is watched and the content root is the application's own directory. In `mesh up --demo` the
/// watchers of 19 processes took 15 % of the machine's CPU during startup.
/// </summary>
public static class QuietWebApplication
{
    public static WebApplicationBuilder CreateBuilder() =>
        WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
}
