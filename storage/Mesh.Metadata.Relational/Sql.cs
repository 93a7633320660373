namespace Mesh.Metadata.Relational;

/// <summary>The portable statements every backend runs (named <c>@parameters</c>, <c>ON CONFLICT</c>, <c>RETURNING</c>).</summary>
internal static class Sql
{
    public static readonly string ConfigHead = Load("config_head");
    public static readonly string ConfigBumpHead = Load("config_bump_head");
    public static readonly string ConfigInsertRevision = Load("config_insert_revision");
    public static readonly string ConfigUpsertResource = Load("config_upsert_resource");
    public static readonly string ConfigDeleteResource = Load("config_delete_resource");
    public static readonly string ConfigSelectResources = Load("config_select_resources");
    public static readonly string ConfigSelectRevisions = Load("config_select_revisions");
    public static readonly string ConfigSelectRevision = Load("config_select_revision");
    public static readonly string EndpointUpsert = Load("endpoint_upsert");
    public static readonly string EndpointRenew = Load("endpoint_renew");
    public static readonly string EndpointDelete = Load("endpoint_delete");
    public static readonly string EndpointSelectLive = Load("endpoint_select_live");
    public static readonly string EndpointDeleteExpired = Load("endpoint_delete_expired");
    public static readonly string TokenInsert = Load("token_insert");
    public static readonly string TokenSelectByHash = Load("token_select_by_hash");
    public static readonly string TokenSelect = Load("token_select");
    public static readonly string TokenRevoke = Load("token_revoke");
    public static readonly string DecisionInsert = Load("decision_insert");
    public static readonly string DecisionSelectActive = Load("decision_select_active");
    public static readonly string DecisionSelectRecent = Load("decision_select_recent");
    public static readonly string DecisionClear = Load("decision_clear");
    public static readonly string AuditInsert = Load("audit_insert");
    public static readonly string AuditSelect = Load("audit_select");
    public static readonly string MigrationsCreate = Load("migrations_create");
    public static readonly string MigrationsSelect = Load("migrations_select");
    public static readonly string MigrationsInsert = Load("migrations_insert");

    private static string Load(string name) => EmbeddedSql.Read(typeof(Sql).Assembly, $"sql/{name}.sql");
}
