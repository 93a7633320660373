namespace Mesh.Storage.ClickHouse.Client;

/// <summary>
/// An INSERT body encoded while it is sent: rows go into one pooled buffer that is written to the
/// connection each time it passes <see cref="FlushThreshold"/>, so a batch of any size costs one
/// buffer, not one copy of the batch. Serialising twice (HttpClient's retry on a stale pooled
/// connection) encodes the rows again.
/// </summary>
internal sealed class RowBinaryContent<T> : StreamedInsertContent
{
    private const int FlushThreshold = 64 * 1024;

    private readonly IReadOnlyList<T> _rows;
    private readonly Func<IRowEncoder<T>> _encoderFactory;

    public RowBinaryContent(IReadOnlyList<T> rows, Func<IRowEncoder<T>> encoderFactory, bool gzip)
        : base(gzip)
    {
        _rows = rows;
        _encoderFactory = encoderFactory;
    }

    protected override async Task WriteBodyAsync(Stream target, CancellationToken cancellationToken)
    {
        using var encoder = _encoderFactory();
        using var writer = new RowBinaryWriter(FlushThreshold * 2);
        for (var i = 0; i < _rows.Count; i++)
        {
            encoder.Encode(writer, _rows[i]);
            if (writer.Length >= FlushThreshold)
            {
                await target.WriteAsync(writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                writer.Clear();
            }
        }

        if (writer.Length > 0)
        {
            await target.WriteAsync(writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
    }
}
