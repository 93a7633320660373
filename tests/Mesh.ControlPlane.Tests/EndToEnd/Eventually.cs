using System.Diagnostics;

namespace Mesh.ControlPlane.Tests.EndToEnd;

/// <summary>Waits for a condition that another process makes true (there is no event to await across processes).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(20)))
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"timed out waiting until {what}");
    }
}
