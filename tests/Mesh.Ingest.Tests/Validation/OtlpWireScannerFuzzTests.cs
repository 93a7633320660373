using Google.Protobuf;
using Mesh.Otlp.Proto.Common;
using Xunit;
using Xunit.Abstractions;
using static Mesh.Ingest.Tests.Validation.OtlpRequests;

namespace Mesh.Ingest.Tests.Validation;

/// <summary>
/// Mutation fuzzing against the slow path: valid requests, damaged at random with a fixed seed. Whatever the
/// damage, a "clean" answer must mean the bytes parse and the validator accepts them unmodified, with the same count.
/// </summary>
public sealed class OtlpWireScannerFuzzTests(ITestOutputHelper output)
{
    private const int MutantsPerSeed = 4000;

    /// <summary>Just above what the requests hold (19 span attributes, a 51-byte user agent, one event, one link), so
    /// mutations easily cross a limit.</summary>
    private static readonly TelemetryLimits Limits = new() { MaxAttributes = 19, MaxValueLength = 52, MaxEventsPerSpan = 1, MaxLinksPerSpan = 1 };

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    [InlineData(false, 3)]
    public void TryScan_MutatedRequests_CleanImpliesSlowPathAcceptsUnmodified(bool traces, int seed)
    {
        var original = traces ? Traces(12, spansPerResource: 5).ToByteArray() : Logs(12, recordsPerResource: 5).ToByteArray();
        Assert.True(ValidationOracle.Scan(traces, original, Limits, out _));
        var random = new Random(seed);
        var clean = 0;
        for (var n = 0; n < MutantsPerSeed; n++)
        {
            var mutant = original;
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                mutant = Mutate(mutant, random);
            }

            if (!ValidationOracle.Scan(traces, mutant, Limits, out var items))
            {
                continue;
            }

            clean++;
            var slow = ValidationOracle.SlowPath(traces, mutant, Limits);
            Assert.True(slow is not null, $"mutant {n} (seed {seed}) is clean but does not parse: {Convert.ToHexString(mutant)}");
            Assert.True(ValidationOracle.IsClean(slow), $"mutant {n} (seed {seed}) is clean but the validator says {slow}: {Convert.ToHexString(mutant)}");
            Assert.Equal(slow.Value.Accepted, items);
        }

        output.WriteLine($"{clean} of {MutantsPerSeed} mutants clean");

        // Enough survivors to mean something: mutations inside strings, timestamps and ids keep a request clean.
        Assert.InRange(clean, MutantsPerSeed / 20, MutantsPerSeed - 1);
    }

    [Fact]
    public void TryScan_MutatedNestedValues_CleanImpliesSlowPathAcceptsUnmodified()
    {
        // Values nested in arrays and lists, with strings at and around the limit, to fuzz AnyValue in depth.
        var span = Minimal();
        for (var i = 0; i < 6; i++)
        {
            var inner = new AnyValue { ArrayValue = Array(Str(new string('a', 40 + i)), new AnyValue { BytesValue = Id(44 + i, 1) }) };
            span.Attributes.Add(Attr($"k{i}", Kv(("x", inner), ("y", new AnyValue { ArrayValue = Array(inner, Int(i)) }))));
        }

        var original = Wrap(span).ToByteArray();
        Assert.True(ValidationOracle.Scan(traces: true, original, Limits, out _));
        var random = new Random(4);
        var clean = 0;
        for (var n = 0; n < MutantsPerSeed; n++)
        {
            var mutant = Mutate(Mutate(original, random), random);
            if (ValidationOracle.Scan(traces: true, mutant, Limits, out var items))
            {
                clean++;
                var slow = ValidationOracle.SlowPath(traces: true, mutant, Limits);
                Assert.True(ValidationOracle.IsClean(slow), $"mutant {n} is clean but the slow path says {slow}: {Convert.ToHexString(mutant)}");
                Assert.Equal(slow!.Value.Accepted, items);
            }
        }

        output.WriteLine($"{clean} of {MutantsPerSeed} mutants clean");
    }

    private static byte[] Mutate(byte[] input, Random random)
    {
        if (input.Length == 0)
        {
            return [(byte)random.Next(256)];
        }

        var bytes = input.ToList();
        var at = random.Next(bytes.Count);
        switch (random.Next(8))
        {
            case 0: // a random byte
                bytes[at] = (byte)random.Next(256);
                break;
            case 1: // one bit
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 2: // a length or count off by one
                bytes[at] = (byte)(bytes[at] + (random.Next(2) == 0 ? 1 : -1));
                break;
            case 3: // a byte protobuf gives meaning to
                bytes[at] = InterestingBytes[random.Next(InterestingBytes.Length)];
                break;
            case 4: // truncate
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 5: // insert random bytes
                bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 4)).Select(_ => (byte)random.Next(256)));
                break;
            case 6: // duplicate a range (repeats fields, or breaks lengths)
                var length = random.Next(1, Math.Min(64, bytes.Count - at) + 1);
                bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(at, length));
                break;
            default: // delete a range
                bytes.RemoveRange(at, random.Next(1, Math.Min(16, bytes.Count - at) + 1));
                break;
        }

        return [.. bytes];
    }

    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x07, 0x08, 0x0A, 0x0C, 0x0F, 0x10, 0x12, 0x7F, 0x80, 0xFF];
}
