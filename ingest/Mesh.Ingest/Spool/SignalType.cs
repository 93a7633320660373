namespace Mesh.Ingest.Spool;

/// <summary>What a spool record holds: the normalised protobuf of an OTLP export request of this signal.</summary>
public enum SignalType : byte
{
    Traces = 1,
    Logs = 2,
}
