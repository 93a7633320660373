using System.Globalization;
using System.Xml.Linq;
using Mesh.Demo.Topology;
using Mesh.Web.Cli;
using Mesh.Web.Demo;
using Mesh.Web.Hosting;
using Npgsql;
using Xunit;

namespace Mesh.EndToEnd.Tests.Deployment;

/// <summary>
/// docker-compose.yml against the repo (there is no Docker engine here to run it): every build context, Dockerfile,
/// config file and mounted path exists, and every Mesh container's command and environment resolve, through
/// <c>mesh up</c>'s own settings code, to the component it is named for, on the ports the Dockerfile exposes and the
/// collector and the ClickHouse cluster config name.
/// </summary>
public sealed class DockerComposeTests
{
    private static readonly string Root = RepoRoot();
    private static readonly ComposeFile Compose = ComposeFile.Load(Root);

    [Fact]
    public void Compose_EveryBuildContextDockerfileAndMountedPathExists()
    {
        foreach (var service in Compose.Services.Values)
        {
            Assert.True(service.Image is not null || service.Build is not null, $"{service.Name} has neither image nor build");
            if (service.Build is { } context)
            {
                Assert.True(Directory.Exists(Path.Combine(Root, context)), $"{service.Name}: build context '{context}' does not exist");
                Assert.True(File.Exists(Path.Combine(Root, context, "Dockerfile")), $"{service.Name}: no Dockerfile in '{context}'");
            }

            foreach (var (source, target) in service.Volumes)
            {
                Assert.StartsWith("/", target, StringComparison.Ordinal);
                if (source.StartsWith("./", StringComparison.Ordinal))
                {
                    var path = Path.Combine(Root, source[2..]);
                    Assert.True(File.Exists(path) || Directory.Exists(path), $"{service.Name}: mounted '{source}' does not exist in the repo");
                }
            }

            foreach (var dependency in service.DependsOn)
            {
                Assert.True(Compose.Services.ContainsKey(dependency), $"{service.Name} depends on '{dependency}', which is not a service");
            }
        }
    }

    [Fact]
    public void Compose_MeshContainers_ResolveToEveryComponentOnTheDockerfilesPorts()
    {
        var dockerfile = Dockerfile();
        var defaults = new MeshSettings();
        Assert.Equal([defaults.Port, defaults.OtlpGrpcPort, defaults.OtlpHttpPort], dockerfile.Exposed);
        Assert.Equal(["dotnet", "mesh.dll"], dockerfile.Entrypoint);

        var components = MeshComponents.None;
        foreach (var (service, settings) in MeshContainers())
        {
            var named = service.Name["mesh-".Length..].TrimEnd('-', '1', '2');
            Assert.Equal(MeshComponentNames.Parse(named), settings.Components);
            components |= settings.Components;

            Assert.Equal(StoreKind.ClickHouse, settings.Store);
            Assert.Equal("0.0.0.0", settings.ListenAddress);
            Assert.Equal(dockerfile.Environment["MESH_DATA_DIR"], settings.DataDir);
            Assert.Contains(service.Volumes, v => v.Target == settings.DataDir && !v.Source.StartsWith("./", StringComparison.Ordinal));
            Assert.All(service.Ports, p => Assert.Equal(settings.Port, p.Container));

            // The query endpoint is one of the shards, every shard is listed, and each is a ClickHouse container on its HTTP port.
            Assert.Contains(settings.ClickHouseUrl, settings.ClickHouseShardUrls);
            foreach (var shard in settings.ClickHouseShardUrls.Select(u => new Uri(u)))
            {
                Assert.StartsWith("clickhouse/clickhouse-server:", Compose.Services[shard.Host].Image, StringComparison.Ordinal);
                Assert.Equal(8123, shard.Port);
            }

            var connection = new NpgsqlConnectionStringBuilder(settings.MetadataConnection);
            var postgres = Compose.Services[connection.Host!];
            Assert.StartsWith("postgres:15", postgres.Image, StringComparison.Ordinal);
            Assert.Equal(5432, connection.Port);
            Assert.Equal(postgres.Environment["POSTGRES_USER"], connection.Username);
            Assert.Equal(postgres.Environment["POSTGRES_PASSWORD"], connection.Password);
            Assert.Equal(postgres.Environment["POSTGRES_DB"], connection.Database);
        }

        Assert.Equal(MeshComponents.All, components);
        Assert.Equal(2, MeshContainers().Count(m => m.Settings.Components == MeshComponents.Ingest));
        Assert.Single(MeshContainers(), m => m.Settings.Components.HasFlag(MeshComponents.ControlPlane));

        // The two ingest nodes insert through different shards.
        Assert.Equal(2, MeshContainers().Where(m => m.Settings.Components == MeshComponents.Ingest).Select(m => m.Settings.ClickHouseUrl).Distinct().Count());
    }

    [Fact]
    public void Compose_ClickHouseShards_MatchTheClusterConfigTheyMount()
    {
        var config = XDocument.Load(Path.Combine(Root, "deploy", "clickhouse", "config.d", "mesh-cluster.xml"));
        var cluster = Assert.Single(config.Root!.Element("remote_servers")!.Elements());
        var shards = cluster.Elements("shard").ToList();
        var clickhouse = Compose.Services.Values.Where(s => s.Image?.StartsWith("clickhouse/", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(shards.Count, clickhouse.Count);

        foreach (var (service, settings) in MeshContainers())
        {
            Assert.Equal(cluster.Name.LocalName, settings.ClickHouseCluster);
            Assert.Equal(shards.Count, settings.ClickHouseShardUrls.Count);
            for (var i = 0; i < shards.Count; i++)
            {
                // Shard n of the config is the container the n-th shard URL names, reached on ClickHouse's native port.
                var replica = Assert.Single(shards[i].Elements("replica"));
                foreach (var node in clickhouse)
                {
                    Assert.Equal(new Uri(settings.ClickHouseShardUrls[i]).Host, node.Environment[replica.Element("host")!.Attribute("from_env")!.Value]);
                    Assert.Equal("9000", node.Environment[replica.Element("port")!.Attribute("from_env")!.Value]);
                }
            }
        }

        foreach (var node in clickhouse)
        {
            var mount = Assert.Single(node.Volumes, v => v.Source.StartsWith("./", StringComparison.Ordinal));
            Assert.Equal("./deploy/clickhouse/config.d/mesh-cluster.xml", mount.Source);
            Assert.Equal("/etc/clickhouse-server/config.d/mesh-cluster.xml", mount.Target);
        }
    }

    [Fact]
    public void Compose_Collector_RoutesEachTraceToAnIngestNodeWithTheIngestToken()
    {
        var collector = Compose.Services["otel-collector"];
        Assert.StartsWith("otel/opentelemetry-collector-contrib:", collector.Image, StringComparison.Ordinal);
        var configPath = Assert.Single(collector.Command, c => c.StartsWith("--config=", StringComparison.Ordinal))["--config=".Length..];
        var mount = Assert.Single(collector.Volumes, v => v.Target == configPath);
        var config = ComposeFile.LoadYaml(Path.Combine(Root, mount.Source[2..]));

        // OTLP in on the standard ports, published.
        var protocols = ComposeFile.Mapping(ComposeFile.Mapping(ComposeFile.Mapping(config["receivers"])["otlp"])["protocols"]);
        var grpcPort = Port(ComposeFile.Scalar(ComposeFile.Mapping(protocols["grpc"])["endpoint"]));
        var httpPort = Port(ComposeFile.Scalar(ComposeFile.Mapping(protocols["http"])["endpoint"]));
        Assert.Equal((4317, 4318), (grpcPort, httpPort));
        Assert.Equal([(grpcPort, grpcPort), (httpPort, httpPort)], collector.Ports);

        // Out: trace-id routing over every ingest node, on the OTLP/gRPC port each resolves to, with the bearer ingest token.
        var balancer = ComposeFile.Mapping(ComposeFile.Mapping(config["exporters"])["loadbalancing"]);
        Assert.Equal("traceID", ComposeFile.Scalar(balancer["routing_key"]));
        var hostnames = ComposeFile.Strings(ComposeFile.Mapping(ComposeFile.Mapping(balancer["resolver"])["static"])["hostnames"]);
        var ingest = MeshContainers().Where(m => m.Settings.Components.HasFlag(MeshComponents.Ingest))
            .Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Service.Name}:{m.Settings.OtlpGrpcPort}"));
        Assert.Equal(ingest.Order(StringComparer.Ordinal), hostnames.Order(StringComparer.Ordinal));
        var headers = ComposeFile.Mapping(ComposeFile.Mapping(ComposeFile.Mapping(balancer["protocol"])["otlp"])["headers"]);
        Assert.Equal("Bearer ${env:MESH_INGEST_TOKEN}", ((YamlDotNet.RepresentationModel.YamlScalarNode)headers["authorization"]).Value);
        foreach (var (_, settings) in MeshContainers())
        {
            Assert.Equal(settings.IngestToken, collector.Environment["MESH_INGEST_TOKEN"]);
        }

        var pipelines = ComposeFile.Mapping(ComposeFile.Mapping(config["service"])["pipelines"]);
        foreach (var signal in new[] { "traces", "logs" })
        {
            Assert.Equal(["loadbalancing"], ComposeFile.Strings(ComposeFile.Mapping(pipelines[signal])["exporters"]));
        }

        // Proxies the control plane configures export to the collector, which spreads them over the ingest nodes.
        var controlPlane = Assert.Single(MeshContainers(), m => m.Settings.Components.HasFlag(MeshComponents.ControlPlane));
        Assert.Equal(new Uri($"http://otel-collector:{httpPort.ToString(CultureInfo.InvariantCulture)}"), new Uri(controlPlane.Settings.OtlpAdvertiseUrl!));
    }

    [Fact]
    public void Compose_DemoServices_EachItsOwnContainerBehindItsOwnSidecar()
    {
        var ports = new DemoPorts(new DemoSettings().BasePort);
        var controlPlane = Assert.Single(MeshContainers(), m => m.Settings.Components.HasFlag(MeshComponents.ControlPlane));
        var demoContainers = new HashSet<string>(StringComparer.Ordinal) { "demo-setup" };
        foreach (var instance in DemoTopology.Instances.Append(DemoPorts.LoadInstance))
        {
            // The app: mesh-demo.dll from the Mesh image, with the arguments mesh up --demo gives it (its calls go to its sidecar's outbound port).
            var app = Compose.Services[$"demo-{instance.InstanceName}"];
            Assert.Equal(["dotnet", DemoTopology.AssemblyFileName], app.Entrypoint);
            Assert.Equal(".", app.Build);
            var upstream = new Uri($"http://127.0.0.1:{ports.Outbound(instance).ToString(CultureInfo.InvariantCulture)}");
            var expected = instance == DemoPorts.LoadInstance
                ? DemoTopology.LoadArguments(upstream, new DemoSettings().Rps, ports.Load, hostHeader: DemoTopology.EntryService)
                : DemoTopology.ServiceArguments(instance, ports.App(instance), instance.Calls.Count > 0 ? upstream : null, "/data");
            Assert.Equal(expected, app.Command);
            if (instance.Stateful)
            {
                Assert.Contains(app.Volumes, v => v.Target == "/data" && !v.Source.StartsWith("./", StringComparison.Ordinal));
            }

            // Its sidecar: its own container in the app's network namespace, registered under the app container's name.
            var sidecar = Compose.Services[$"demo-{instance.InstanceName}-sidecar"];
            Assert.Equal($"service:{app.Name}", sidecar.NetworkMode);
            Assert.Contains(app.Name, sidecar.DependsOn);
            Assert.Contains("demo-setup", sidecar.DependsOn);
            Assert.Equal("proxy", sidecar.Command[0]);
            Assert.Equal(StaticSidecarConfig.Namespace, Flag(sidecar, "--namespace"));
            Assert.Equal(instance.Service, Flag(sidecar, "--service"));
            Assert.Equal(instance.Version, Flag(sidecar, "--version"));
            Assert.Equal(ports.Inbound(instance), int.Parse(Flag(sidecar, "--inbound-port")!, CultureInfo.InvariantCulture));
            Assert.Equal(ports.App(instance), int.Parse(Flag(sidecar, "--app-port")!, CultureInfo.InvariantCulture));
            Assert.Equal(instance.Calls.Count > 0 ? ports.Outbound(instance).ToString(CultureInfo.InvariantCulture) : null, Flag(sidecar, "--outbound-port"));
            Assert.Equal("0.0.0.0", Flag(sidecar, "--address"));
            Assert.Equal(app.Name, Flag(sidecar, "--advertise-address"));
            ControlPlaneClient(sidecar, controlPlane);
            demoContainers.Add(app.Name);
            demoContainers.Add(sidecar.Name);
        }

        // Nothing else runs mesh-demo.dll or a sidecar, and the control plane itself starts no demo processes.
        var platform = MeshContainers().Select(m => m.Service.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(Compose.Services.Values.Where(s => s.Build is not null), s => Assert.True(platform.Contains(s.Name) || demoContainers.Contains(s.Name), $"{s.Name} is neither a Mesh component nor a demo container"));
        Assert.All(MeshContainers(), m => Assert.False(m.Settings.Demo.Enabled, $"{m.Service.Name} runs the demo's processes itself"));
    }

    [Fact]
    public void Compose_DemoSetup_AppliesTheResourcesMeshUpDemoApplies()
    {
        var setup = Compose.Services["demo-setup"];
        Assert.Equal("apply", setup.Command[0]);
        var file = setup.Command[setup.Command.ToList().IndexOf("-f") + 1];
        var mount = Assert.Single(setup.Volumes, v => v.Target == file);
        ControlPlaneClient(setup, Assert.Single(MeshContainers(), m => m.Settings.Components.HasFlag(MeshComponents.ControlPlane)));

        var ports = new DemoPorts(new DemoSettings().BasePort);
        var expected = DemoResources.Base(ports) + "---\n" + DemoResources.CanaryRoute(CanarySplit.Initial);
        var actual = string.Join('\n', File.ReadLines(Path.Combine(Root, mount.Source[2..])).Where(l => !l.StartsWith('#'))) + "\n";
        Assert.Equal(expected.ReplaceLineEndings("\n"), actual);
    }

    /// <summary>MESH_SERVER is the control-plane container on its API port, MESH_TOKEN the admin token it accepts.</summary>
    private static void ControlPlaneClient(ComposeService service, (ComposeService Service, MeshSettings Settings) controlPlane)
    {
        var server = new Uri(service.Environment["MESH_SERVER"]);
        Assert.Equal(controlPlane.Service.Name, server.Host);
        Assert.Equal(controlPlane.Settings.Port, server.Port);
        Assert.Equal(controlPlane.Settings.AdminToken, service.Environment["MESH_TOKEN"]);
        Assert.Contains(controlPlane.Service.Name, service.DependsOn.Append(service.NetworkMode ?? "").Concat(service.DependsOn.SelectMany(d => Compose.Services[d].DependsOn)));
    }

    private static string? Flag(ComposeService service, string name)
    {
        var i = service.Command.ToList().IndexOf(name);
        return i < 0 ? null : service.Command[i + 1];
    }

    private static IEnumerable<(ComposeService Service, MeshSettings Settings)> MeshContainers()
    {
        var dockerfile = Dockerfile();
        // The platform's containers run `mesh up`; the demo's (mesh-demo.dll, `mesh proxy`, `mesh apply`) are checked on their own.
        foreach (var service in Compose.Services.Values.Where(s => s.Build is not null && s.Entrypoint.Count == 0 && s.Command[0] == "up"))
        {
            var environment = new Dictionary<string, string>(dockerfile.Environment, StringComparer.Ordinal);
            foreach (var (name, value) in service.Environment)
            {
                environment[name] = value;
            }

            var settings = UpCommand.Resolve(UpCommand.Create().Parse([.. service.Command.Skip(1)]), name => environment.GetValueOrDefault(name));
            yield return (service, settings);
        }
    }

    private static (IReadOnlyList<int> Exposed, IReadOnlyList<string> Entrypoint, Dictionary<string, string> Environment) Dockerfile()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "Dockerfile"));
        var final = lines.Skip(Array.FindLastIndex(lines, l => l.StartsWith("FROM ", StringComparison.Ordinal))).ToList();
        var exposed = final.Single(l => l.StartsWith("EXPOSE ", StringComparison.Ordinal))["EXPOSE ".Length..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();
        var entrypoint = System.Text.Json.JsonSerializer.Deserialize<string[]>(final.Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal))["ENTRYPOINT ".Length..])!;
        var environment = final.Where(l => l.StartsWith("ENV ", StringComparison.Ordinal))
            .SelectMany(l => l["ENV ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return (exposed, entrypoint, environment);
    }

    private static int Port(string endpoint) => int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mesh.sln")) && File.Exists(Path.Combine(dir.FullName, "docker-compose.yml")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no repository root (Mesh.sln with docker-compose.yml) above {AppContext.BaseDirectory}");
    }
}
