using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Mesh.Testing;

/// <summary>
/// A real <c>mesh up</c> process on free loopback ports with its own data dir, for end-to-end tests.
/// Output is captured so a failing test can show what the process said.
/// </summary>
public sealed class MeshProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly string[] _extraArgs;
    private readonly Dictionary<string, string> _environment;
    private Process? _process;

    private MeshProcess(string dataDir, string[] extraArgs, Dictionary<string, string> environment)
    {
        DataDir = dataDir;
        _extraArgs = extraArgs;
        _environment = environment;
        Port = FreePort.Next();
        OtlpGrpcPort = FreePort.Next();
        OtlpHttpPort = FreePort.Next();
    }

    public const string IngestToken = "test-ingest-token-0123456789";
    public const string AdminToken = "test-admin-token-0123456789";

    public string DataDir { get; }

    public int Port { get; }

    public int OtlpGrpcPort { get; }

    public int OtlpHttpPort { get; }

    public Uri ApiUrl => new($"http://127.0.0.1:{Port}");

    public Uri OtlpHttpUrl => new($"http://127.0.0.1:{OtlpHttpPort}");

    public Uri OtlpGrpcUrl => new($"http://127.0.0.1:{OtlpGrpcPort}");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process?.HasExited ?? true;

    /// <summary>The process id of the last start (null before the first).</summary>
    public int? Pid => _process?.Id;

    /// <summary>Starts <c>mesh up</c> (mesh.dll next to the test assembly) and waits until its API answers.</summary>
    public static async Task<MeshProcess> StartAsync(
        string? dataDir = null,
        IEnumerable<string>? extraArgs = null,
        IDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var mesh = new MeshProcess(
            dataDir ?? Directory.CreateTempSubdirectory("mesh-e2e-").FullName,
            extraArgs?.ToArray() ?? [],
            new Dictionary<string, string>(environment ?? new Dictionary<string, string>()));
        await mesh.StartAsync(timeout ?? TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return mesh;
    }

    /// <summary>Starts the process again on the same ports and data dir (after <see cref="Kill"/> or <see cref="StopAsync"/>).</summary>
    public async Task StartAsync(TimeSpan timeout)
    {
        var meshDll = Path.Combine(AppContext.BaseDirectory, "mesh.dll");
        if (!File.Exists(meshDll))
        {
            throw new FileNotFoundException($"mesh.dll not found next to the tests at {meshDll}; the test project must reference web/Mesh.Web");
        }

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            meshDll, "up",
            "--data-dir", DataDir,
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--otlp-grpc-port", OtlpGrpcPort.ToString(CultureInfo.InvariantCulture),
            "--otlp-http-port", OtlpHttpPort.ToString(CultureInfo.InvariantCulture),
        }.Concat(_extraArgs))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["MESH_INGEST_TOKEN"] = IngestToken;
        info.Environment["MESH_ADMIN_TOKEN"] = AdminToken;
        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mesh up exited with code {process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(ApiUrl, "/healthz")).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        // A process that never became healthy is not handed to the caller, so nothing else would stop it.
        Kill();
        throw new TimeoutException($"mesh up did not answer /healthz within {timeout}:\n{Output}");
    }

    /// <summary>
    /// Waits until the process has printed <paramref name="text"/> (e.g. the demo's "all N processes ready" line);
    /// throws with the output so far when it does not within <paramref name="timeout"/> or the process exits.
    /// </summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"mesh up exited before it printed \"{text}\":\n{Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"mesh up did not print \"{text}\" within {timeout}:\n{Output}");
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    /// <summary>An HttpClient for the API with the admin token set.</summary>
    public HttpClient CreateApiClient()
    {
        var client = new HttpClient { BaseAddress = ApiUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    /// <summary>Kills the process at once (SIGKILL): nothing gets to flush or clean up.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
    }

    /// <summary>Asks the process to stop (SIGTERM, as Ctrl+C would) and waits for it to exit.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (_process is not { HasExited: false } p)
        {
            return _process?.ExitCode ?? 0;
        }

        using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        return p.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            Kill();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
