using System.CommandLine;
using Mesh.Demo.Hosting;
using Mesh.Web.Cli;
using Mesh.Web.Demo;

namespace Mesh.Web;

/// <summary>The <c>mesh</c> executable.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        // A child of 'mesh up --demo' (a sidecar) stops when its parent is gone; a no-op otherwise.
        ParentWatch.StartFromEnvironment();
        var root = new RootCommand("Mesh: an observability-first service mesh.")
        {
            UpCommand.Create(),
            ProxyCommand.Create(),
            DemoCommand.Create(),
        };
        foreach (var command in ControlCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        return root.Parse(args).InvokeAsync();
    }
}
