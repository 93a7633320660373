namespace Mesh.Storage.ClickHouse;

/// <summary>Conversions from OTLP's Unix nanoseconds to the second-resolution <c>DateTime</c> columns that partition and order the tables.</summary>
internal static class UnixTime
{
    private const long NanosPerSecond = 1_000_000_000;

    /// <summary>Whole seconds, clamped to <c>DateTime</c>'s range: a span from a broken clock still lands in a partition.</summary>
    public static uint Seconds(long unixNanos) =>
        unixNanos <= 0 ? 0 : (uint)Math.Min(unixNanos / NanosPerSecond, uint.MaxValue);

    /// <summary>The second holding the last nanosecond before <paramref name="exclusiveEndNanos"/>.</summary>
    public static uint LastSecondBefore(long exclusiveEndNanos) =>
        exclusiveEndNanos <= 0 ? 0 : Seconds(exclusiveEndNanos - 1);
}
