namespace Mesh.Ingest.Spool;

/// <summary>The outcome of <see cref="RecordFormat.TryParse"/>.</summary>
internal enum ParseStatus
{
    /// <summary>A whole record with a matching checksum.</summary>
    Ok,

    /// <summary>The data ends inside the record: read more, or at the end of a file it is a torn write.</summary>
    NeedMore,

    /// <summary>Not a record: bad magic, impossible length or type, or a checksum mismatch.</summary>
    Invalid,
}
