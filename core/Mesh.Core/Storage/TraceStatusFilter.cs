namespace Mesh.Core.Storage;

/// <summary>Restricts a trace search to spans that failed or did not fail.</summary>
public enum TraceStatusFilter
{
    Any = 0,

    /// <summary>The span's status is not ERROR.</summary>
    Ok = 1,

    /// <summary>The span's status is ERROR.</summary>
    Error = 2,
}
