using System.Diagnostics;
using System.Text.Json;

namespace Mesh.EndToEnd.Tests.WebUi;

/// <summary>
/// Runs one of web/ui/e2e's Playwright scripts (playwright-core from the repo's npm packages, driving Debian's
/// Chromium) against a running Mesh, and returns the result line it prints.
/// </summary>
internal static class UiScript
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Screenshots go under the test output directory, one folder per script.</summary>
    public static string ScreenshotDir(string name) => Path.Combine(AppContext.BaseDirectory, "ui-screenshots", name);

    /// <summary>
    /// Runs a script with fresh screenshots in <see cref="ScreenshotDir"/>(<paramref name="name"/>), writes its output to
    /// the test log, asserts it passed and returns its result.
    /// </summary>
    public static async Task<JsonElement> RunPassingAsync(string name, IDictionary<string, string> environment, Action<string> log, TimeSpan? timeout = null)
    {
        var shots = ScreenshotDir(name);
        if (Directory.Exists(shots))
        {
            Directory.Delete(shots, recursive: true);
        }

        environment["E2E_OUT"] = shots;
        var (result, text) = await RunAsync($"{name}.e2e.mjs", environment, timeout ?? TimeSpan.FromMinutes(2));
        using (result)
        {
            log(text);
            var root = result.RootElement;
            Xunit.Assert.True(root.GetProperty("ok").GetBoolean(), root.TryGetProperty("error", out var error) ? error.GetString() : text);
            log($"screenshots in {shots}");
            return root.Clone();
        }
    }

    public static async Task<(JsonDocument Result, string Output)> RunAsync(string script, IDictionary<string, string> environment, TimeSpan timeout)
    {
        var scriptPath = Path.Combine(RepoRoot, "web", "ui", "e2e", script);
        if (!File.Exists(Path.Combine(RepoRoot, "node_modules", "playwright-core", "package.json")))
        {
            throw new InvalidOperationException($"playwright-core is not installed under {RepoRoot}/node_modules: run 'npm ci' at the repo root (scripts/test.sh does)");
        }

        if (!File.Exists("/usr/bin/chromium") && !environment.ContainsKey("CHROMIUM_PATH"))
        {
            throw new InvalidOperationException("Chromium is not installed at /usr/bin/chromium: 'apt-get install chromium' (scripts/test.sh does)");
        }

        var info = new ProcessStartInfo("node", [scriptPath])
        {
            WorkingDirectory = Path.Combine(RepoRoot, "web", "ui"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within {timeout}:\n{await stdout}\n{await stderr}");
        }

        var output = $"{await stdout}\n{await stderr}";
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("E2E-RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{script} printed no result (exit code {process.ExitCode}):\n{output}");
        return (JsonDocument.Parse(line["E2E-RESULT ".Length..]), output);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mesh.sln")) && File.Exists(Path.Combine(dir.FullName, "web", "ui", "package.json")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no repository root (Mesh.sln with web/ui) above {AppContext.BaseDirectory}");
    }
}
