using System.CommandLine;
using Mesh.Web.Cli;

namespace Mesh.Web;

/// <summary>The <c>mesh</c> executable.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("Mesh: an observability-first service mesh.")
        {
            UpCommand.Create(),
            ProxyCommand.Create(),
        };
        foreach (var command in ControlCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        return root.Parse(args).InvokeAsync();
    }
}
