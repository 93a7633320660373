namespace Mesh.Proxy.Admin;

/// <summary>A monotonic counter updated with one Interlocked add.</summary>
internal sealed class Counter
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Add(long n) => Interlocked.Add(ref _value, n);
}
