using Xunit;

namespace Mesh.Ingest.Tests.Spool;

/// <summary>Waits for background progress (the spool writer, the drainer) by polling, failing after a generous deadline.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task True(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(2);
        }
    }

    /// <summary>A token that cancels after the deadline, so a hung await fails the test instead of hanging it.</summary>
    public static CancellationToken Timeout() => new CancellationTokenSource(Deadline).Token;
}
