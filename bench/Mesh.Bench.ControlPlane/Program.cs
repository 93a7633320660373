using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Mesh.ControlPlane.Client;
using Mesh.ControlPlane.Client.Contracts;
using Mesh.Testing;

namespace Mesh.Bench.ControlPlane;

/// <summary>
/// Push latency: a real <c>mesh up</c>, N watch clients (the client library's ProxyAgent, each validating and ACKing
/// every snapshot), and R applies of a changed split. Per round it times apply-request-sent → every proxy applied the
/// new split, beside the apply request's own round trip measured in the same round (the peer for the ratio).
/// Usage: <c>dotnet bench/Mesh.Bench.ControlPlane/bin/Release/net10.0/Mesh.Bench.ControlPlane.dll [proxies] [rounds]</c>
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var proxies = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        await using var mesh = await MeshProcess.StartAsync();
        using var admin = new MeshControlPlaneClient(mesh.ApiUrl, MeshProcess.AdminToken);
        var token = (await admin.CreateTokenAsync("bench", "proxy", "bench/*")).Token;
        await admin.ApplyAsync(Documents(50));
        for (var i = 0; i < 4; i++)
        {
            await admin.RegisterAsync(new RegisterEndpointRequest
            {
                Namespace = "bench", Service = "api", Address = "127.0.0.1", Port = 9000 + i, Version = i % 2 == 0 ? "v1" : "v2", ProxyId = $"api-{i}", TtlSeconds = 3600,
            });
        }

        var applied = new ConcurrentDictionary<int, int>();
        var target = -1;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reached = 0;
        using var stop = new CancellationTokenSource();
        var runs = new List<Task>();
        var clients = new List<MeshControlPlaneClient>();
        for (var p = 0; p < proxies; p++)
        {
            var index = p;
            var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4 }) { BaseAddress = mesh.ApiUrl, Timeout = Timeout.InfiniteTimeSpan };
            var client = new MeshControlPlaneClient(http, token, ownsHttp: true);
            clients.Add(client);
            var agent = new ProxyAgent(client, new ProxyNode { Id = $"web-{p}", Namespace = "bench", Service = "web", OutboundPort = 20000 + p }, (config, _, _) =>
            {
                var weight = config.Routes.Single(r => r.Name == "bench/api/split").Split[0].Weight;
                applied[index] = weight;
                if (weight == Volatile.Read(ref target) && Interlocked.Increment(ref reached) == proxies)
                {
                    done.TrySetResult();
                }

                return ValueTask.CompletedTask;
            });
            runs.Add(agent.RunAsync(stop.Token));
        }

        var settle = Stopwatch.StartNew();
        while (applied.Count < proxies || applied.Values.Any(w => w != 50))
        {
            await Task.Delay(50);
            if (settle.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"only {applied.Count} of {proxies} proxies got their first snapshot");
            }
        }

        var push = new List<double>();
        var request = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            var weight = 10 + (r % 2 * 20) + r % 7;
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref reached, 0);
            Volatile.Write(ref target, weight);
            var clock = Stopwatch.StartNew();
            await admin.ApplyAsync(Documents(weight));
            request.Add(clock.Elapsed.TotalMilliseconds);
            await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
            push.Add(clock.Elapsed.TotalMilliseconds);
        }

        var statuses = await admin.ProxiesAsync();
        var acked = statuses.Count(s => s.AckedVersion == s.SentVersion && s.Connected);
        await stop.CancelAsync();
        await Task.WhenAll(runs);
        clients.ForEach(c => c.Dispose());

        var medianPush = Median(push);
        var medianRequest = Median(request);
        Console.WriteLine($"| proxies | rounds | apply→all applied median | p90 | max | apply request median | ratio | proxies ACKed at the end |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {proxies} | {rounds} | {medianPush:0.0} ms | {Percentile(push, 0.9):0.0} ms | {push.Max():0.0} ms | {medianRequest:0.0} ms | {medianPush / medianRequest:0.00} | {acked}/{proxies} |"));
        return 0;
    }

    private static string Documents(int v1) => $$"""
        kind: Service
        metadata: {name: api, namespace: bench}
        spec: {ports: [{port: 8080}]}
        ---
        kind: Service
        metadata: {name: web, namespace: bench}
        spec: {ports: [{port: 8080}]}
        ---
        kind: Route
        metadata: {name: api, namespace: bench}
        spec:
          service: api
          routes:
            - name: split
              split: [{version: v1, weight: {{v1}}}, {version: v2, weight: {{100 - v1}}}]
        """;

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Round(p * (sorted.Count - 1)))];
    }
}
