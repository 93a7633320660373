using System.Text;
using Mesh.Ingest.Spool;
using Xunit;

namespace Mesh.Ingest.Tests.Spool;

public sealed class Crc32CTests
{
    [Fact]
    public void Compute_StandardCheckString_MatchesPublishedValue()
    {
        // The CRC-32C check value from the Castagnoli / iSCSI (RFC 3720) catalogue.
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }

    [Fact]
    public void Compute_Rfc3720TestVectors_Match()
    {
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
    }

    [Fact]
    public void Append_SplitAnywhere_EqualsWholeComputation()
    {
        var data = Encoding.UTF8.GetBytes("the quick brown fox jumps over the lazy dog, twice over");
        var whole = Crc32C.Compute(data);
        for (var split = 0; split <= data.Length; split++)
        {
            Assert.Equal(whole, Crc32C.Append(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }

    [Fact]
    public void Append_HardwareAndSoftwarePaths_Agree()
    {
        var random = new Random(42);
        for (var length = 0; length < 300; length += 7)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Crc32C.AppendSoftware(0, data), Crc32C.Append(0, data));
            Assert.Equal(Crc32C.AppendSoftware(0x1234_5678, data), Crc32C.Append(0x1234_5678, data));
        }
    }
}
