using Mesh.Core.Telemetry;
using Microsoft.Data.Sqlite;

namespace Mesh.Storage.Sqlite;

/// <summary>Stores resources and scopes once each and hands out their ids; must run inside the write transaction.</summary>
internal sealed class SqliteMetadata
{
    private readonly SqliteWriteConnection _owner;
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly Dictionary<Resource, long> _resourcesInBatch = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<InstrumentationScope, long> _scopesInBatch = new(ReferenceEqualityComparer.Instance);
    private readonly List<(string Key, long Id, bool IsResource)> _added = [];
    private SqliteCommand? _insertResource;
    private SqliteCommand? _insertScope;

    public SqliteMetadata(SqliteWriteConnection owner, SqliteConnection connection, SqliteTransaction transaction)
    {
        _owner = owner;
        _connection = connection;
        _transaction = transaction;
    }

    public long ResourceId(Resource resource)
    {
        // Spans of one OTLP request share one Resource instance: a reference lookup skips serialising it again.
        if (_resourcesInBatch.TryGetValue(resource, out var id))
        {
            return id;
        }

        var attributes = AttributeJson.Serialize(resource.Attributes);
        var key = string.Concat(attributes, "\u0001", resource.DroppedAttributesCount.ToString(System.Globalization.CultureInfo.InvariantCulture), "\u0001", resource.SchemaUrl);
        if (!_owner.ResourceIds.TryGetValue(key, out id))
        {
            _insertResource ??= Prepare(
                "INSERT INTO resources (key, attributes, dropped_attributes, schema_url) VALUES ($key, $a, $d, $s) " +
                "ON CONFLICT (key) DO UPDATE SET key = excluded.key RETURNING id",
                "$key", "$a", "$d", "$s");
            _insertResource.Parameters[0].Value = key;
            _insertResource.Parameters[1].Value = attributes;
            _insertResource.Parameters[2].Value = (long)resource.DroppedAttributesCount;
            _insertResource.Parameters[3].Value = resource.SchemaUrl;
            id = (long)_insertResource.ExecuteScalar()!;
            _added.Add((key, id, true));
        }

        _resourcesInBatch[resource] = id;
        return id;
    }

    public long ScopeId(InstrumentationScope scope)
    {
        if (_scopesInBatch.TryGetValue(scope, out var id))
        {
            return id;
        }

        var attributes = AttributeJson.Serialize(scope.Attributes);
        var key = string.Join('\u0001', scope.Name, scope.Version, attributes, scope.DroppedAttributesCount.ToString(System.Globalization.CultureInfo.InvariantCulture), scope.SchemaUrl);
        if (!_owner.ScopeIds.TryGetValue(key, out id))
        {
            _insertScope ??= Prepare(
                "INSERT INTO scopes (key, name, version, attributes, dropped_attributes, schema_url) VALUES ($key, $n, $v, $a, $d, $s) " +
                "ON CONFLICT (key) DO UPDATE SET key = excluded.key RETURNING id",
                "$key", "$n", "$v", "$a", "$d", "$s");
            _insertScope.Parameters[0].Value = key;
            _insertScope.Parameters[1].Value = scope.Name;
            _insertScope.Parameters[2].Value = scope.Version;
            _insertScope.Parameters[3].Value = attributes;
            _insertScope.Parameters[4].Value = (long)scope.DroppedAttributesCount;
            _insertScope.Parameters[5].Value = scope.SchemaUrl;
            id = (long)_insertScope.ExecuteScalar()!;
            _added.Add((key, id, false));
        }

        _scopesInBatch[scope] = id;
        return id;
    }

    /// <summary>Publishes the ids learnt in this transaction to the shared cache; call only after commit.</summary>
    public void Committed()
    {
        foreach (var (key, id, isResource) in _added)
        {
            (isResource ? _owner.ResourceIds : _owner.ScopeIds)[key] = id;
        }

        _insertResource?.Dispose();
        _insertScope?.Dispose();
    }

    public SqliteCommand Prepare(string sql, params string[] parameterNames)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }
}
