using System.Collections.Concurrent;

namespace Mesh.Demo.Services.Cart;

/// <summary>
/// Carts in memory, by user. Bounded: past <see cref="MaxCarts"/> the least recently touched cart goes, so
/// a load generator inventing shoppers for days cannot grow the process without limit.
/// </summary>
internal sealed class CartStore(TimeProvider time)
{
    public const int MaxCarts = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _carts = new(StringComparer.Ordinal);

    public IReadOnlyList<CartLine> Get(string userId) =>
        _carts.TryGetValue(userId, out var entry) ? entry.Snapshot() : [];

    public IReadOnlyList<CartLine> Add(string userId, CartLine line)
    {
        var entry = _carts.GetOrAdd(userId, _ => new Entry());
        var lines = entry.Add(line, time.GetUtcNow());
        if (_carts.Count > MaxCarts)
        {
            var oldest = _carts.MinBy(c => c.Value.Touched);
            _carts.TryRemove(oldest.Key, out _);
        }

        return lines;
    }

    public bool Clear(string userId) => _carts.TryRemove(userId, out _);

    private sealed class Entry
    {
        private readonly Lock _lock = new();
        private List<CartLine> _lines = [];

        public DateTimeOffset Touched { get; private set; }

        public IReadOnlyList<CartLine> Snapshot()
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }

        public IReadOnlyList<CartLine> Add(CartLine line, DateTimeOffset now)
        {
            lock (_lock)
            {
                var existing = _lines.FindIndex(l => l.Sku == line.Sku);
                _lines = existing < 0
                    ? [.. _lines, line]
                    : [.. _lines.Select((l, i) => i == existing ? l with { Quantity = l.Quantity + line.Quantity } : l)];
                Touched = now;
                return [.. _lines];
            }
        }
    }
}
