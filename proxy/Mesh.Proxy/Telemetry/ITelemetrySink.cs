namespace Mesh.Proxy.Telemetry;

/// <summary>Takes finished requests for export. Contract: never blocks and never throws; when full it drops and counts.</summary>
internal interface ITelemetrySink
{
    void Submit(in RequestRecord record);
}
