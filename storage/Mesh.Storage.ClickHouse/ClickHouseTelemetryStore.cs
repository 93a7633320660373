using Mesh.Core.Storage;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Logs;
using Mesh.Storage.ClickHouse.Schema;
using Mesh.Storage.ClickHouse.Spans;

namespace Mesh.Storage.ClickHouse;

/// <summary>
/// Spans and logs in ClickHouse over its HTTP interface. Works with Debian's ClickHouse 18.16 and with
/// current releases: <see cref="InitializeAsync"/> asks the server its version and creates the schema in
/// the form that version accepts. Writers insert RowBinary in one request per table per batch; readers
/// use the tables' sort keys (service and time for searches, trace id for whole traces).
/// </summary>
public sealed class ClickHouseTelemetryStore : ITelemetryStore
{
    private readonly ClickHouseHttpClient _client;
    private readonly ClickHouseTables _tables;
    private readonly ClickHouseSpanWriter _spanWriter;
    private readonly ClickHouseSpanReader _spanReader;
    private readonly ClickHouseLogWriter _logWriter;
    private readonly ClickHouseLogReader _logReader;
    private volatile ClickHouseCapabilities _capabilities = ClickHouseCapabilities.Oldest;

    public ClickHouseTelemetryStore(ClickHouseStoreOptions options)
        : this(options, handler: null, time: null)
    {
    }

    /// <summary>For tests: a handler in front of the network, and the clock that times requests out.</summary>
    internal ClickHouseTelemetryStore(ClickHouseStoreOptions options, HttpMessageHandler? handler, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _client = new ClickHouseHttpClient(options, handler, time);
        _tables = new ClickHouseTables(options.Database, options.Cluster);
        _spanWriter = new ClickHouseSpanWriter(_client, _tables);
        _spanReader = new ClickHouseSpanReader(_client, _tables);
        _logWriter = new ClickHouseLogWriter(_client, _tables);
        _logReader = new ClickHouseLogReader(_client, _tables);
    }

    public string Name => "clickhouse";

    public ClickHouseStoreOptions Options { get; }

    public ISpanWriter SpanWriter => _spanWriter;

    public ISpanReader SpanReader => _spanReader;

    public ILogWriter LogWriter => _logWriter;

    public ILogReader LogReader => _logReader;

    /// <summary>What the server was found to support; the oldest server's forms until <see cref="InitializeAsync"/> ran.</summary>
    internal ClickHouseCapabilities Capabilities => _capabilities;

    /// <summary>The HTTP client, for tests that set up partial writes or count rows.</summary>
    internal ClickHouseHttpClient Client => _client;

    /// <summary>
    /// Detects the server version and creates the database and tables when missing. Idempotent.
    /// Throws <see cref="StoreUnavailableException"/> when the server cannot be reached.
    /// </summary>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        var capabilities = await ClickHouseSchema.DetectAsync(_client, _tables, cancellationToken).ConfigureAwait(false);
        await ClickHouseSchema.CreateAsync(_client, Options, _tables, capabilities, cancellationToken).ConfigureAwait(false);
        _capabilities = capabilities;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
