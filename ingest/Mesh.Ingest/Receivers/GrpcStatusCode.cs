namespace Mesh.Ingest.Receivers;

/// <summary>The gRPC status codes ingest uses (numbers from the gRPC specification).</summary>
internal enum GrpcStatusCode
{
    Ok = 0,
    InvalidArgument = 3,
    ResourceExhausted = 8,
    Unimplemented = 12,
    Internal = 13,
    Unavailable = 14,
    Unauthenticated = 16,
}
