using System.Diagnostics;
using System.Net.Http.Headers;

namespace Mesh.EndToEnd.Tests.Cluster;

/// <summary>
/// Runs the repo's <c>scripts/cluster</c> itself (the same processes an operator gets) in a temporary directory, with
/// the mesh.dll built next to the tests, and reads the ports, URLs and tokens it keeps in <c>cluster.env</c>.
/// </summary>
internal sealed class ClusterScript : IAsyncDisposable
{
    private readonly string _script;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private Dictionary<string, string> _values = [];

    public ClusterScript(IReadOnlyDictionary<string, string> environment)
    {
        _script = Path.Combine(RepoRoot(), "scripts", "cluster");
        _environment = environment;
        Dir = Directory.CreateTempSubdirectory("mesh-e2e-cluster-").FullName;
    }

    public string Dir { get; }

    public string this[string key] => _values.TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"cluster.env has no {key}");

    public Uri Url(string key) => new(this[key]);

    public async Task<string> UpAsync()
    {
        var (code, output) = await RunAsync("up", TimeSpan.FromMinutes(4));
        if (code != 0)
        {
            throw new InvalidOperationException($"scripts/cluster up exited with {code}:\n{output}");
        }

        _values = File.ReadLines(Path.Combine(Dir, "cluster.env"))
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        return output;
    }

    public Task<(int Code, string Output)> StatusAsync() => RunAsync("status", TimeSpan.FromSeconds(60));

    public HttpClient ApiClient(string urlKey)
    {
        var client = new HttpClient { BaseAddress = Url(urlKey), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", this["ADMIN_TOKEN"]);
        return client;
    }

    public HttpClient OtlpClient(string urlKey)
    {
        var client = new HttpClient { BaseAddress = Url(urlKey), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", this["INGEST_TOKEN"]);
        return client;
    }

    /// <summary>The last lines of every node's log and of every demo process's log (the demo runs under the control plane).</summary>
    public string Logs() => string.Join(
        "\n",
        Directory.EnumerateFiles(Dir, "log", SearchOption.AllDirectories)
            .Select(f => (File: f, Lines: 15))
            .Concat(Directory.EnumerateFiles(Dir, "*.log", SearchOption.AllDirectories).Select(f => (File: f, Lines: 6)))
            .Select(l => $"--- {l.File}\n{string.Join('\n', File.ReadLines(l.File).TakeLast(l.Lines))}"));

    public async ValueTask DisposeAsync()
    {
        var (code, output) = await RunAsync("down", TimeSpan.FromMinutes(3), "--purge");
        if (code != 0)
        {
            throw new InvalidOperationException($"scripts/cluster down exited with {code}:\n{output}");
        }
    }

    private async Task<(int Code, string Output)> RunAsync(string command, TimeSpan timeout, params string[] extra)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { _script, command, "--dir", Dir, "--no-build" }.Concat(extra))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MESH_DLL"] = Path.Combine(AppContext.BaseDirectory, "mesh.dll");
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scripts/cluster {command} took over {timeout.TotalSeconds} s:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, $"{await stdout}\n{await stderr}");
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mesh.sln")) && File.Exists(Path.Combine(dir.FullName, "scripts", "cluster")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no repository root (Mesh.sln with scripts/cluster) above {AppContext.BaseDirectory}");
    }
}
