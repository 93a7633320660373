using Mesh.Demo.Hosting;
using Mesh.Demo.Services;
using Mesh.Demo.Topology;
using Mesh.Testing;

namespace Mesh.Demo.Tests.Fixtures;

/// <summary>
/// The whole demo store in-process: every instance of <see cref="DemoTopology"/> as its own Kestrel host on a
/// free loopback port, each with <c>--upstream</c> pointing at one <see cref="HostRouter"/>.
/// </summary>
public sealed class DemoStack : IAsyncLifetime
{
    private readonly List<WebApplication> _apps = [];

    public HostRouter Router { get; } = new();

    public string DataDir { get; } = Directory.CreateTempSubdirectory("mesh-demo-").FullName;

    /// <summary>Each instance's own port, by instance name (e.g. <c>catalog-v2</c>).</summary>
    public Dictionary<string, int> Ports { get; } = [];

    public Uri FrontendUrl => new($"http://127.0.0.1:{Ports["frontend-v1"]}/");

    public Uri InstanceUrl(string instanceName) => new($"http://127.0.0.1:{Ports[instanceName]}/");

    public string InventoryDatabase => Path.Combine(DataDir, "inventory-v1.db");

    public async Task InitializeAsync()
    {
        await Router.StartAsync();
        foreach (var instance in DemoTopology.Instances)
        {
            var port = FreePort.Next();
            Ports[instance.InstanceName] = port;
            var app = DemoServiceHost.Build(DemoServices.Get(instance.Service), new DemoServiceOptions
            {
                Name = instance.Service,
                Version = instance.Version,
                Port = port,
                Upstream = Router.Url,
                DataDir = DataDir,
                LatencyScale = 0.1,
            });
            _apps.Add(app);
            await app.StartAsync();
        }

        foreach (var group in DemoTopology.Instances.GroupBy(i => i.Service))
        {
            Router.Route(group.Key, [.. group.Select(i => Ports[i.InstanceName])]);
        }
    }

    public HttpClient Client(string instanceName = "frontend-v1") =>
        new() { BaseAddress = InstanceUrl(instanceName), Timeout = TimeSpan.FromSeconds(20) };

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        await Router.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
