namespace Mesh.Web.Hosting;

/// <summary>
/// What one <c>mesh up</c> process runs (<c>--components</c>). All of them by default; a scaled deployment runs each
/// in its own processes, all sharing ClickHouse and PostgreSQL.
/// </summary>
[Flags]
internal enum MeshComponents
{
    None = 0,

    /// <summary>The OTLP ports, the spool and drainer, and the rollups built from every stored batch.</summary>
    Ingest = 1,

    /// <summary>Config, discovery, snapshot push to proxies, the mesh CA, tokens and routing decisions.</summary>
    ControlPlane = 2,

    /// <summary>The application map's API (graph, health, series) and its live hub.</summary>
    Analytics = 4,

    /// <summary>The web UI and the read API it uses: traces, logs, services, and the map (as analytics serves it).</summary>
    Web = 8,

    All = Ingest | ControlPlane | Analytics | Web,
}
