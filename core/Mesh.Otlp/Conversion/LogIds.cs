namespace Mesh.Otlp.Conversion;

/// <summary>Derives stable log ids: the same (batch, index) always gives the same id, different ones collide only by chance (2^-64).</summary>
public static class LogIds
{
    public static ulong For(ulong batchId, ulong index)
    {
        // splitmix64 finaliser over the pair: cheap, and well spread so ids make a uniform key.
        var z = batchId + ((index + 1) * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
