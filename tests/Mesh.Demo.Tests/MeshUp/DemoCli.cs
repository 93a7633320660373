using System.Diagnostics;
using Mesh.Testing;
using Xunit;

namespace Mesh.Demo.Tests.MeshUp;

/// <summary>Runs <c>mesh demo …</c> (the real CLI, mesh.dll beside the tests) against a running Mesh.</summary>
internal static class DemoCli
{
    public static async Task<(int ExitCode, string Output)> RunAsync(MeshProcess mesh, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mesh.dll"));
        info.ArgumentList.Add("demo");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.ArgumentList.Add("--server");
        info.ArgumentList.Add(mesh.ApiUrl.ToString());
        info.ArgumentList.Add("--token");
        info.ArgumentList.Add(MeshProcess.AdminToken);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    public static async Task<string> RunOkAsync(MeshProcess mesh, params string[] args)
    {
        var (code, output) = await RunAsync(mesh, args);
        Assert.True(code == 0, $"mesh demo {string.Join(' ', args)} exited with {code}: {output}");
        return output;
    }
}
