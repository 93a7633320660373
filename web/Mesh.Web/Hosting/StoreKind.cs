namespace Mesh.Web.Hosting;

/// <summary>The span/log store backends <c>mesh up</c> can run on.</summary>
internal enum StoreKind
{
    Sqlite,
    ClickHouse,
}
