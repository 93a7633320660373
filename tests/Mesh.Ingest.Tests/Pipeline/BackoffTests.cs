using Mesh.Ingest.Pipeline;
using Xunit;

namespace Mesh.Ingest.Tests.Pipeline;

public sealed class BackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(4, 800)]
    [InlineData(7, 6400)]
    [InlineData(8, 10_000)]
    [InlineData(1000, 10_000)]
    public void Delay_DoublesPerAttemptUpToTheCap(int attempt, int stepMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(stepMilliseconds), Backoff.Delay(attempt, Min, Max, jitter: 1));
        Assert.Equal(TimeSpan.FromMilliseconds(stepMilliseconds / 2.0), Backoff.Delay(attempt, Min, Max, jitter: 0));
    }
}
