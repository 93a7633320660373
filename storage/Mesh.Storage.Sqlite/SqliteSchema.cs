using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Mesh.Storage.Sqlite;

/// <summary>
/// Creates the schema in a new file or brings an older one up to date, at every open. The version lives in
/// <c>PRAGMA user_version</c>; a file written before versioning (0, with a spans table) is version 1.
/// Idempotent, and all in one transaction: a crash part-way leaves the file as it was.
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 2;

    public static void Apply(SqliteConnection connection)
    {
        var version = (long)Scalar(connection, null, "PRAGMA user_version")!;
        if (version > Version)
        {
            throw new InvalidOperationException(
                $"The SQLite file has schema version {version}, newer than this Mesh's {Version}: it was written by a newer Mesh.");
        }

        using var transaction = connection.BeginTransaction();
        var hasSpans = Scalar(connection, transaction, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'spans'") is not null;
        Run(connection, transaction, ReadSql("schema.sql"));
        if (version < Version && hasSpans)
        {
            connection.CreateFunction("mesh_trace_key", (byte[] traceId) => TraceKey.Of(traceId), isDeterministic: true);
            Run(connection, transaction, ReadSql("upgrade_1_to_2.sql"));
        }

        Run(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {Version}"));
        transaction.Commit();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Run(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static string ReadSql(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Mesh.Storage.Sqlite.Sql.{file}")
            ?? throw new InvalidOperationException($"The SQLite script {file} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
