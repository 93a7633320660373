using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Mesh.Core.Storage;

namespace Mesh.Storage.ClickHouse.Client;

/// <summary>
/// ClickHouse's HTTP interface, just what the store needs: statements and SELECTs in the request body,
/// INSERTs with the statement in the URL and RowBinary rows streamed as the body. Credentials travel in
/// <c>X-ClickHouse-User</c>/<c>X-ClickHouse-Key</c>, never in the URL. Failures are sorted in one place:
/// a server that cannot be reached, times out or says 503 (or an overload code) is a
/// <see cref="StoreUnavailableException"/> so the ingest spool retries; anything else ClickHouse refused
/// is a <see cref="ClickHouseException"/> with its code and message.
/// </summary>
internal sealed class ClickHouseHttpClient : IDisposable
{
    /// <summary>Longest error text kept from a reply: ClickHouse messages are short, a proxy's HTML page may not be.</summary>
    private const int MaxErrorChars = 4096;

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly Uri _endpoint;
    private readonly Uri _selectUri;
    private readonly TimeSpan _requestTimeout;
    private readonly bool _compressInserts;
    private readonly string _insertQuery;

    public ClickHouseHttpClient(ClickHouseStoreOptions options, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? TimeProvider.System;
        _endpoint = options.Endpoint;
        _requestTimeout = options.RequestTimeout;
        _compressInserts = options.CompressInserts;
        handler ??= new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            // ClickHouse closes idle keep-alive connections after keep_alive_timeout (3 s by default);
            // dropping ours sooner avoids sending a request on a connection the server is closing.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2),
            MaxConnectionsPerServer = 32,
            AutomaticDecompression = DecompressionMethods.None,
        };

        // Timeouts are per request (below) so that they can be told apart from the caller's cancellation.
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Add("X-ClickHouse-User", options.User);
        if (options.Password.Length != 0)
        {
            _http.DefaultRequestHeaders.Add("X-ClickHouse-Key", options.Password);
        }

        // wait_end_of_query makes the server finish a SELECT before it answers, so an error half-way
        // through comes back as an HTTP error instead of text appended to a 200 reply. It buffers the reply past
        // buffer_size (1 MiB by default) in a temporary file; 32 MiB keeps a window's rows (~15 MB for 2,000 edges)
        // in memory. A statement that inserts (INSERT … VALUES) into a Distributed table must land on its shard
        // before the reply too, or a check right after it misses the row: the same setting as for INSERT bodies.
        _selectUri = new Uri(
            _endpoint,
            options.Cluster is null ? "?wait_end_of_query=1&buffer_size=33554432" : "?wait_end_of_query=1&buffer_size=33554432&insert_distributed_sync=1");

        // An INSERT into a Distributed table returns, by default, once the rows are queued on the node it reached;
        // waiting until every shard has them keeps read-after-write, and lets a failed shard fail the insert (so the
        // spool retries it) instead of leaving rows in a queue nobody watches.
        _insertQuery = options.Cluster is null ? "?query=" : "?insert_distributed_sync=1&query=";
    }

    /// <summary>Runs a statement whose reply is not needed (DDL).</summary>
    public async Task ExecuteAsync(SqlFragment statement, CancellationToken cancellationToken) =>
        _ = await QueryAsync(statement, cancellationToken).ConfigureAwait(false);

    /// <summary>Runs a statement and returns the whole reply body.</summary>
    public Task<byte[]> QueryAsync(SqlFragment statement, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _selectUri)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(statement.Text)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        return SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// Runs a statement that reads <paramref name="tables"/> (sent as multipart form data, so the statement
    /// itself travels in the URL) and returns the whole reply body.
    /// </summary>
    public Task<byte[]> QueryAsync(SqlFragment statement, IReadOnlyList<ExternalTable> tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var query = new StringBuilder("?wait_end_of_query=1&buffer_size=33554432&query=").Append(Uri.EscapeDataString(statement.Text));
        var form = new MultipartFormDataContent();
        foreach (var table in tables)
        {
            query.Append('&').Append(table.Name).Append("_structure=").Append(Uri.EscapeDataString(table.Structure))
                .Append('&').Append(table.Name).Append("_format=RowBinary");
            form.Add(new ByteArrayContent(table.RowBinary), table.Name, table.Name);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, query.ToString())) { Content = form };
        return SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="insert"/> (an <c>INSERT … FORMAT RowBinary</c>) with <paramref name="rows"/> as
    /// its data, in one request. Returns once ClickHouse has written the rows.
    /// </summary>
    public async Task InsertAsync<T>(SqlFragment insert, IReadOnlyList<T> rows, Func<IRowEncoder<T>> encoderFactory, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, _insertQuery + Uri.EscapeDataString(insert.Text)))
        {
            Content = new RowBinaryContent<T>(rows, encoderFactory, _compressInserts),
        };
        _ = await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An INSERT whose body (in the statement's format) <paramref name="content"/> writes.</summary>
    public async Task InsertAsync(SqlFragment insert, HttpContent content, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, _insertQuery + Uri.EscapeDataString(insert.Text))) { Content = content };
        _ = await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public bool CompressInserts => _compressInserts;

    public void Dispose() => _http.Dispose();

    /// <summary>Sends <paramref name="request"/> (and disposes it) and returns the reply body of a 2xx reply.</summary>
    private async Task<byte[]> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_requestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Failure(response, body);
            }

            return body;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException($"ClickHouse at {_endpoint} did not answer within {_requestTimeout.TotalSeconds:0.#} s.", e);
        }
        catch (HttpRequestException e)
        {
            throw new StoreUnavailableException($"ClickHouse at {_endpoint} cannot be reached: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new StoreUnavailableException($"The connection to ClickHouse at {_endpoint} failed: {e.Message}", e);
        }
        finally
        {
            request.Dispose();
        }
    }

    private Exception Failure(HttpResponseMessage response, byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MaxErrorChars * 4));
        if (text.Length > MaxErrorChars)
        {
            text = text[..MaxErrorChars];
        }

        ClickHouseException error;
        if (ClickHouseError.TryParse(text, out var code, out var message))
        {
            error = new ClickHouseException(code, message, response.StatusCode);
        }
        else
        {
            // A proxy in front of ClickHouse, or a reply without the usual text: keep the header code if any.
            _ = response.Headers.TryGetValues("X-ClickHouse-Exception-Code", out var codes);
            _ = int.TryParse(codes?.FirstOrDefault(), out code);
            var detail = text.Trim();
            error = new ClickHouseException(code, detail.Length != 0 ? detail : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", response.StatusCode);
        }

        var passing = response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout
            || ClickHouseError.IsTransient(error.Code, error.ServerMessage);
        return passing
            ? new StoreUnavailableException($"ClickHouse at {_endpoint} is unavailable for now: {error.Message}", error)
            : error;
    }
}
