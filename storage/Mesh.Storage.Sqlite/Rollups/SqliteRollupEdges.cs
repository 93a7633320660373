using Mesh.Core.Rollups;
using Microsoft.Data.Sqlite;

namespace Mesh.Storage.Sqlite.Rollups;

/// <summary>
/// The rollup_edges table in memory, both ways (key → id for writers, id → key for readers). Edges are only ever
/// added, so a cached entry never goes stale; an id not cached yet makes the reader load the rest.
/// </summary>
internal sealed class SqliteRollupEdges
{
    private readonly Lock _lock = new();
    private readonly Dictionary<EdgeKey, long> _ids = [];
    private readonly Dictionary<long, EdgeKey> _keys = [];
    private long _loadedUpTo;

    public bool TryGetId(EdgeKey key, out long id)
    {
        lock (_lock)
        {
            return _ids.TryGetValue(key, out id);
        }
    }

    public void Add(long id, EdgeKey key)
    {
        lock (_lock)
        {
            _ids[key] = id;
            _keys[id] = key;
        }
    }

    /// <summary>The key of <paramref name="id"/>, loading edges added since the last load when it is new.</summary>
    public EdgeKey KeyOf(SqliteConnection connection, long id)
    {
        lock (_lock)
        {
            if (_keys.TryGetValue(id, out var key))
            {
                return key;
            }

            Load(connection);
            return _keys.TryGetValue(id, out key) ? key : throw new InvalidDataException($"rollup row refers to unknown edge {id}");
        }
    }

    /// <summary>Ids of edges whose source (or destination) service is the one given; loads every edge first.</summary>
    public HashSet<long> IdsWhere(SqliteConnection connection, string? source, string? destination)
    {
        lock (_lock)
        {
            Load(connection);
            var ids = new HashSet<long>();
            foreach (var (id, key) in _keys)
            {
                if ((source is null || key.SourceService == source) && (destination is null || key.DestinationService == destination))
                {
                    ids.Add(id);
                }
            }

            return ids;
        }
    }

    private void Load(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT id, src_service, src_version, src_namespace, src_kind, dst_service, dst_version, dst_namespace, dst_kind, dst_endpoint, route FROM rollup_edges WHERE id > $after";
        command.Parameters.AddWithValue("$after", _loadedUpTo);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            var key = new EdgeKey
            {
                SourceService = reader.GetString(1),
                SourceVersion = reader.GetString(2),
                SourceNamespace = reader.GetString(3),
                SourceKind = (NodeKind)reader.GetInt32(4),
                DestinationService = reader.GetString(5),
                DestinationVersion = reader.GetString(6),
                DestinationNamespace = reader.GetString(7),
                DestinationKind = (NodeKind)reader.GetInt32(8),
                DestinationEndpoint = reader.GetString(9),
                Route = reader.GetString(10),
            };
            _ids[key] = id;
            _keys[id] = key;
            _loadedUpTo = Math.Max(_loadedUpTo, id);
        }
    }
}
