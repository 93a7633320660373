using Mesh.Ingest.Spool;
using Xunit;

namespace Mesh.Ingest.Tests.Spool;

public sealed class RecordFormatTests
{
    [Fact]
    public void TryParse_SealedRecord_ReturnsTypeIdAndLength()
    {
        var record = Record(SignalType.Logs, 0xDEADBEEF_00000042, [1, 2, 3, 4, 5]);

        var status = RecordFormat.TryParse(record, out var total, out var type, out var id);

        Assert.Equal(ParseStatus.Ok, status);
        Assert.Equal(RecordFormat.HeaderSize + 5, total);
        Assert.Equal(SignalType.Logs, type);
        Assert.Equal(0xDEADBEEF_00000042, id);
    }

    [Fact]
    public void TryParse_AnySingleBitFlipped_IsInvalid()
    {
        var record = Record(SignalType.Traces, 7, [10, 20, 30, 40, 50, 60]);
        for (var i = 0; i < record.Length; i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var damaged = (byte[])record.Clone();
                damaged[i] ^= (byte)(1 << bit);

                var status = RecordFormat.TryParse(damaged, out _, out _, out _);

                // A flipped length bit can also make the record look longer than the data: equally not a record.
                Assert.True(status != ParseStatus.Ok, $"byte {i} bit {bit} went unnoticed");
            }
        }
    }

    [Fact]
    public void TryParse_Truncated_NeedsMore()
    {
        var record = Record(SignalType.Traces, 1, new byte[100]);

        Assert.Equal(ParseStatus.NeedMore, RecordFormat.TryParse(record.AsSpan(0, 10), out var headerOnly, out _, out _));
        Assert.Equal(0, headerOnly);
        Assert.Equal(ParseStatus.NeedMore, RecordFormat.TryParse(record.AsSpan(0, 50), out var total, out _, out _));
        Assert.Equal(record.Length, total);
    }

    private static byte[] Record(SignalType type, ulong id, byte[] payload)
    {
        var record = new byte[RecordFormat.HeaderSize + payload.Length];
        payload.CopyTo(record, RecordFormat.HeaderSize);
        RecordFormat.WriteHeader(record, type, payload.Length);
        RecordFormat.Seal(record, id, Crc32C.Compute(payload));
        return record;
    }
}
