using System.Globalization;
using Mesh.Demo.Services.Catalog;
using Microsoft.Data.Sqlite;

namespace Mesh.Demo.Services.Inventory;

/// <summary>
/// Inventory's own SQLite database: stock per SKU and the reservations taken against it. A reservation
/// decrements stock in one immediate transaction, so two checkouts never both take the last item.
/// </summary>
internal sealed class InventoryStore : IDisposable
{
    public const int SeedStock = 500;

    private readonly string _connectionString;
    private readonly TimeProvider _time;

    // One writer at a time in-process: SQLite would serialise them anyway, this just avoids SQLITE_BUSY retries.
    private readonly SemaphoreSlim _write = new(1, 1);

    public InventoryStore(string path, TimeProvider time)
    {
        Path = path;
        _time = time;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 10 }.ToString();
        Initialise();
    }

    public string Path { get; }

    public void Dispose() => _write.Dispose();

    public async Task<IReadOnlyList<(string Sku, int Available)>> StockAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sku, available FROM stock ORDER BY sku";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<(string, int)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        return rows;
    }

    public async Task<int?> AvailableAsync(string sku, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await AvailableAsync(connection, null, sku, cancellationToken).ConfigureAwait(false);
    }

    public Task<ReservationOutcome> ReserveAsync(string orderId, IReadOnlyList<(string Sku, int Quantity)> items, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, tx) =>
        {
            foreach (var (sku, quantity) in items)
            {
                var taken = await ExecuteAsync(connection, tx, "UPDATE stock SET available = available - $q WHERE sku = $sku AND available >= $q", cancellationToken, ("$q", quantity), ("$sku", sku)).ConfigureAwait(false);
                if (taken == 0)
                {
                    // Not committed: every decrement so far is rolled back with the transaction.
                    var available = await AvailableAsync(connection, tx, sku, cancellationToken).ConfigureAwait(false);
                    return new ReservationOutcome(null, sku, available is null, available ?? 0);
                }
            }

            var id = "res-" + Guid.NewGuid().ToString("N")[..16];
            await ExecuteAsync(connection, tx, "INSERT INTO reservations (id, order_id, created_at, released) VALUES ($id, $order, $at, 0)", cancellationToken,
                ("$id", id), ("$order", orderId), ("$at", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture))).ConfigureAwait(false);
            foreach (var (sku, quantity) in items)
            {
                await ExecuteAsync(connection, tx, "INSERT INTO reservation_items (reservation_id, sku, quantity) VALUES ($id, $sku, $q)", cancellationToken,
                    ("$id", id), ("$sku", sku), ("$q", quantity)).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new ReservationOutcome(id, null, false, 0);
        }, cancellationToken);

    /// <summary>Gives a reservation's items back to stock (a failed payment); false if unknown or already released.</summary>
    public Task<bool> ReleaseAsync(string reservationId, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, tx) =>
        {
            if (await ExecuteAsync(connection, tx, "UPDATE reservations SET released = 1 WHERE id = $id AND released = 0", cancellationToken, ("$id", reservationId)).ConfigureAwait(false) == 0)
            {
                return false;
            }

            await ExecuteAsync(connection, tx,
                "UPDATE stock SET available = available + (SELECT SUM(quantity) FROM reservation_items i WHERE i.reservation_id = $id AND i.sku = stock.sku) " +
                "WHERE sku IN (SELECT sku FROM reservation_items WHERE reservation_id = $id)", cancellationToken, ("$id", reservationId)).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Tops every SKU below <paramref name="threshold"/> back up to the seed level; returns how many were.</summary>
    public Task<int> RestockAsync(int threshold, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, tx) =>
        {
            var n = await ExecuteAsync(connection, tx, "UPDATE stock SET available = $seed WHERE available < $threshold", cancellationToken, ("$seed", SeedStock), ("$threshold", threshold)).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return n;
        }, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a transaction under the write lock; the work commits, or it is rolled back.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return await work(connection, tx).ConfigureAwait(false);
        }
        finally
        {
            _write.Release();
        }
    }

    private static async Task<int> ExecuteAsync(
        SqliteConnection connection, SqliteTransaction tx, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int?> AvailableAsync(SqliteConnection connection, SqliteTransaction? tx, string sku, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT available FROM stock WHERE sku = $sku";
        command.Parameters.AddWithValue("$sku", sku);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long n ? (int)n : null;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private void Initialise()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // Only missing SKUs are seeded: a restarted inventory keeps the stock it had.
        command.CommandText =
            "PRAGMA journal_mode=WAL;" +
            "CREATE TABLE IF NOT EXISTS stock (sku TEXT PRIMARY KEY, available INTEGER NOT NULL CHECK (available >= 0));" +
            "CREATE TABLE IF NOT EXISTS reservations (id TEXT PRIMARY KEY, order_id TEXT NOT NULL, created_at TEXT NOT NULL, released INTEGER NOT NULL);" +
            "CREATE TABLE IF NOT EXISTS reservation_items (reservation_id TEXT NOT NULL REFERENCES reservations(id), sku TEXT NOT NULL, quantity INTEGER NOT NULL);" +
            "CREATE INDEX IF NOT EXISTS reservation_items_by_reservation ON reservation_items (reservation_id);";
        command.ExecuteNonQuery();
        using var seed = connection.CreateCommand();
        seed.CommandText = "INSERT OR IGNORE INTO stock (sku, available) VALUES ($sku, $n)";
        var sku = seed.Parameters.Add("$sku", SqliteType.Text);
        seed.Parameters.AddWithValue("$n", SeedStock);
        foreach (var product in DemoProducts.All)
        {
            sku.Value = product.Sku;
            seed.ExecuteNonQuery();
        }
    }
}
