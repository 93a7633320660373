using System.Globalization;
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
    private readonly Dictionary<string, long> _learntResources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _learntScopes = new(StringComparer.Ordinal);
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
        if (!_resourcesInBatch.TryGetValue(resource, out var id))
        {
            id = ResourceId(AttributeJson.Serialize(resource.Attributes), resource.DroppedAttributesCount, resource.SchemaUrl);
            _resourcesInBatch[resource] = id;
        }

        return id;
    }

    /// <summary>The id of the resource with this content (attributes as AttributeJson), stored now if it is new.</summary>
    public long ResourceId(string attributes, uint droppedAttributes, string schemaUrl)
    {
        var key = string.Concat(attributes, "\u0001", droppedAttributes.ToString(CultureInfo.InvariantCulture), "\u0001", schemaUrl);
        if (!_owner.ResourceIds.TryGetValue(key, out var id) && !_learntResources.TryGetValue(key, out id))
        {
            _insertResource ??= Prepare(
                "INSERT INTO resources (key, attributes, dropped_attributes, schema_url) VALUES ($key, $a, $d, $s) " +
                "ON CONFLICT (key) DO UPDATE SET key = excluded.key RETURNING id",
                "$key", "$a", "$d", "$s");
            _insertResource.Parameters[0].Value = key;
            _insertResource.Parameters[1].Value = attributes;
            _insertResource.Parameters[2].Value = (long)droppedAttributes;
            _insertResource.Parameters[3].Value = schemaUrl;
            id = (long)_insertResource.ExecuteScalar()!;
            _learntResources.Add(key, id);
        }

        return id;
    }

    public long ScopeId(InstrumentationScope scope)
    {
        if (!_scopesInBatch.TryGetValue(scope, out var id))
        {
            id = ScopeId(scope.Name, scope.Version, AttributeJson.Serialize(scope.Attributes), scope.DroppedAttributesCount, scope.SchemaUrl);
            _scopesInBatch[scope] = id;
        }

        return id;
    }

    /// <summary>The id of the scope with this content (attributes as AttributeJson), stored now if it is new.</summary>
    public long ScopeId(string name, string version, string attributes, uint droppedAttributes, string schemaUrl)
    {
        var key = string.Join('\u0001', name, version, attributes, droppedAttributes.ToString(CultureInfo.InvariantCulture), schemaUrl);
        if (!_owner.ScopeIds.TryGetValue(key, out var id) && !_learntScopes.TryGetValue(key, out id))
        {
            _insertScope ??= Prepare(
                "INSERT INTO scopes (key, name, version, attributes, dropped_attributes, schema_url) VALUES ($key, $n, $v, $a, $d, $s) " +
                "ON CONFLICT (key) DO UPDATE SET key = excluded.key RETURNING id",
                "$key", "$n", "$v", "$a", "$d", "$s");
            _insertScope.Parameters[0].Value = key;
            _insertScope.Parameters[1].Value = name;
            _insertScope.Parameters[2].Value = version;
            _insertScope.Parameters[3].Value = attributes;
            _insertScope.Parameters[4].Value = (long)droppedAttributes;
            _insertScope.Parameters[5].Value = schemaUrl;
            id = (long)_insertScope.ExecuteScalar()!;
            _learntScopes.Add(key, id);
        }

        return id;
    }

    /// <summary>Publishes the ids learnt in this transaction to the shared cache; call only after commit.</summary>
    public void Committed()
    {
        foreach (var (key, id) in _learntResources)
        {
            _owner.ResourceIds[key] = id;
        }

        foreach (var (key, id) in _learntScopes)
        {
            _owner.ScopeIds[key] = id;
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
