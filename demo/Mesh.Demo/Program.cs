using System.CommandLine;
using Mesh.Demo.Cli;
using Mesh.Demo.Hosting;
using Mesh.Demo.Services;

namespace Mesh.Demo;

/// <summary>The <c>mesh-demo</c> executable: one subcommand per demo store service, plus the load generator.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        ParentWatch.StartFromEnvironment();
        var root = new RootCommand("Mesh demo store: the services behind the mesh, and a load generator.");
        foreach (var definition in DemoServices.All)
        {
            root.Subcommands.Add(ServiceCommand.Create(definition));
        }

        root.Subcommands.Add(LoadCommand.Create());
        return root.Parse(args).InvokeAsync();
    }
}
