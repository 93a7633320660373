namespace Mesh.Bench;

/// <summary>
/// Spreads sequential numbers over the whole 64-bit range (SplitMix64's finaliser, a bijection). Real trace ids
/// are random, and a store's trace-id index behaves very differently under random keys than under ascending
/// ones, so the generated ids lead with mixed bits.
/// </summary>
internal static class IdMixer
{
    public static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}
