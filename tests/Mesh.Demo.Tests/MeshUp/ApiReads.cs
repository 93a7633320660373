namespace Mesh.Demo.Tests.MeshUp;

/// <summary>Waits for a condition on a running Mesh (ingest is asynchronous).</summary>
internal static class ApiReads
{
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Delay(250);
        }
    }
}
