using Mesh.Proxy.Config;
using Mesh.Proxy.Configuration;
using Mesh.Testing;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy.Tests.Support;

/// <summary>The real proxy, in-process, on free ports: YAML with {port} and {admin} placeholders filled in.</summary>
internal sealed class TestProxy : IAsyncDisposable
{
    private TestProxy(ProxyServer server, StaticProxyConfigSource source, int port, int adminPort)
    {
        Server = server;
        Source = source;
        Port = port;
        AdminPort = adminPort;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public ProxyServer Server { get; }

    public StaticProxyConfigSource Source { get; }

    public int Port { get; }

    public int AdminPort { get; }

    public HttpClient Client { get; }

    public Uri Admin(string path) => new($"http://127.0.0.1:{AdminPort}{path}");

    public static async Task<TestProxy> StartAsync(string yaml, ProxyEnvironment? environment = null)
    {
        var port = FreePort.Next();
        var admin = FreePort.Next();
        var config = ProxyConfigSerializer.FromYaml(yaml.Replace("{port}", port.ToString(), StringComparison.Ordinal).Replace("{admin}", admin.ToString(), StringComparison.Ordinal));
        var source = new StaticProxyConfigSource(config);
        var server = await ProxyServer.StartAsync(source, environment, Environment.GetEnvironmentVariable("MESH_TEST_PROXY_LOG") is null ? null : LoggerFactory.Create(b => b.AddProvider(new StderrLoggerProvider())));
        return new TestProxy(server, source, port, admin);
    }

    /// <summary>A minimal config: one ingress listener, one route to one cluster with the given endpoints.</summary>
    public static string Simple(string routeExtra = "", string clusterExtra = "", params int[] ports) => $$"""
        service: { name: edge }
        listeners: [{ name: main, port: {port} }]
        admin: { port: {admin} }
        routes:
          - name: main
            cluster: backend
        {{Indent(routeExtra, 4)}}
        clusters:
          - name: backend
            endpoints:
        {{string.Join("\n", ports.Select(p => $"      - {{ address: 127.0.0.1, port: {p} }}"))}}
        {{Indent(clusterExtra, 4)}}
        """;

    private static string Indent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select(l => l.Length == 0 ? l : new string(' ', spaces) + l));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Source.Dispose();
    }
}
