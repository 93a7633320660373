using System.Buffers;

namespace Mesh.Ingest.Receivers;

/// <summary>A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/>; return it with Dispose.</summary>
internal sealed class PooledBuffer : IDisposable
{
    private byte[] _array;

    public PooledBuffer(int initialCapacity) => _array = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));

    public int Length { get; private set; }

    public int Capacity => _array.Length;

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, Length);

    public Memory<byte> FreeMemory => _array.AsMemory(Length);

    public void Advance(int count) => Length += count;

    public void Grow(long capacity)
    {
        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(capacity, Array.MaxLength));
        _array.AsSpan(0, Length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
    }

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, []);
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        Length = 0;
    }
}
