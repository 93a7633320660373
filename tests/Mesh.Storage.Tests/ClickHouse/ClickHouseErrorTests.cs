using System.Net;
using System.Text;
using Mesh.Core.Storage;
using Mesh.Storage.ClickHouse;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Testing;
using Xunit;

namespace Mesh.Storage.Tests.ClickHouse;

[Collection(ClickHouseTestGroup.Name)]
public sealed class ClickHouseErrorTests(ClickHouseServer server)
{
    [Theory]
    [InlineData(
        "Code: 62, e.displayText() = DB::Exception: Syntax error: failed at position 1: SELEC 1, e.what() = DB::Exception\n",
        62,
        "Syntax error: failed at position 1: SELEC 1")]
    [InlineData(
        "Code: 60. DB::Exception: Table default.nope does not exist. (UNKNOWN_TABLE) (version 23.8.2.7 (official build))\n",
        60,
        "Table default.nope does not exist. (UNKNOWN_TABLE)")]
    [InlineData("Code: 241. DB::Exception: Memory limit (total) exceeded (version 24.3.1.1)", 241, "Memory limit (total) exceeded")]
    public void TryParse_OldAndNewErrorText_ReadsCodeAndMessage(string body, int code, string message)
    {
        Assert.True(ClickHouseError.TryParse(body, out var parsedCode, out var parsedMessage));
        Assert.Equal(code, parsedCode);
        Assert.Equal(message, parsedMessage);
    }

    [Fact]
    public void TryParse_NotClickHouseText_ReturnsFalse()
    {
        Assert.False(ClickHouseError.TryParse("<html>Bad gateway</html>", out _, out _));
    }

    [Fact]
    public async Task Query_SyntaxError_ThrowsClickHouseExceptionWithTheServersMessage()
    {
        using var client = new ClickHouseHttpClient(new() { Endpoint = server.HttpUrl });

        var error = await Assert.ThrowsAsync<ClickHouseException>(() => client.QueryAsync(SqlFragment.Trusted("SELEC 1"), CancellationToken.None));

        Assert.Equal(62, error.Code);
        Assert.StartsWith("Syntax error", error.ServerMessage, StringComparison.Ordinal);
        Assert.Contains("Syntax error", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task Query_UnknownTable_ThrowsClickHouseExceptionNamingTheTable()
    {
        using var client = new ClickHouseHttpClient(new() { Endpoint = server.HttpUrl });

        var error = await Assert.ThrowsAsync<ClickHouseException>(
            () => client.QueryAsync(SqlFragment.Trusted("SELECT * FROM system.no_such_table_here"), CancellationToken.None));

        Assert.Equal(60, error.Code);
        Assert.Contains("no_such_table_here", error.ServerMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_UnknownUser_ThrowsClickHouseExceptionNotUnavailable()
    {
        using var client = new ClickHouseHttpClient(new() { Endpoint = server.HttpUrl, User = "nobody_here", Password = "secret" });

        var error = await Assert.ThrowsAsync<ClickHouseException>(() => client.QueryAsync(SqlFragment.Trusted("SELECT 1"), CancellationToken.None));

        Assert.Contains("nobody_here", error.ServerMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteSpans_LargeBatchIntoMissingTables_ThrowsClickHouseExceptionNotUnavailable()
    {
        // No InitializeAsync: the tables do not exist. ClickHouse answers before it has read the body.
        await using var store = new ClickHouseTelemetryStore(new ClickHouseStoreOptions { Endpoint = server.HttpUrl, Database = ClickHouseServer.NewDatabaseName() });
        var trace = TestTelemetry.NewTraceId();
        var batch = Enumerable.Range(0, 20_000).Select(i => TestTelemetry.NewSpan(trace, "missing", "op", i, 1)).ToList();

        var error = await Assert.ThrowsAsync<ClickHouseException>(() => store.SpanWriter.WriteSpansAsync(batch, Mesh.Core.Storage.WriteMode.First, CancellationToken.None).AsTask());

        Assert.Equal(81, error.Code);
    }

    [Fact]
    public async Task InitializeAsync_NothingListening_ThrowsStoreUnavailable()
    {
        await using var store = new ClickHouseTelemetryStore(new ClickHouseStoreOptions { Endpoint = new Uri($"http://127.0.0.1:{FreePort.Next()}/") });

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(CancellationToken.None).AsTask());

        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task Query_Http503_ThrowsStoreUnavailable()
    {
        using var client = Fake(HttpStatusCode.ServiceUnavailable, "Code: 202, e.displayText() = DB::Exception: Too many simultaneous queries, e.what() = DB::Exception");

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => client.QueryAsync(SqlFragment.Trusted("SELECT 1"), CancellationToken.None));

        Assert.Equal(202, Assert.IsType<ClickHouseException>(error.InnerException).Code);
    }

    [Fact]
    public async Task Query_TooManyParts_ThrowsStoreUnavailable()
    {
        using var client = Fake(HttpStatusCode.InternalServerError, "Code: 252. DB::Exception: Too many parts (300). Merges are processing significantly slower than inserts. (TOO_MANY_PARTS) (version 23.8.1.1)");

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => client.QueryAsync(SqlFragment.Trusted("SELECT 1"), CancellationToken.None));

        Assert.Equal(252, Assert.IsType<ClickHouseException>(error.InnerException).Code);
    }

    [Fact]
    public async Task Insert_TooManyPartitionsInOneBlock_ThrowsClickHouseExceptionBecauseRetryCannotHelp()
    {
        using var client = Fake(HttpStatusCode.InternalServerError, "Code: 252. DB::Exception: Too many partitions for single INSERT block (more than 100). (TOO_MANY_PARTS) (version 23.8.1.1)");

        var error = await Assert.ThrowsAsync<ClickHouseException>(() => client.QueryAsync(SqlFragment.Trusted("SELECT 1"), CancellationToken.None));

        Assert.Equal(252, error.Code);
    }

    [Fact]
    public async Task Query_ServerDoesNotAnswerInTime_ThrowsStoreUnavailable()
    {
        var time = new VirtualTime();
        using var client = new ClickHouseHttpClient(
            new() { Endpoint = new Uri("http://127.0.0.1:1/"), RequestTimeout = TimeSpan.FromSeconds(30) },
            new NeverAnswers(),
            time);

        var query = client.QueryAsync(SqlFragment.Trusted("SELECT 1"), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(query.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => query);
        Assert.Contains("30 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_CallerCancels_ThrowsOperationCanceled()
    {
        using var client = new ClickHouseHttpClient(new() { Endpoint = new Uri("http://127.0.0.1:1/") }, new NeverAnswers());
        using var cancel = new CancellationTokenSource();

        var query = client.QueryAsync(SqlFragment.Trusted("SELECT 1"), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query);
    }

    [Fact]
    public void Read_ErrorAppendedToAStreamedReply_ThrowsClickHouseException()
    {
        var body = Encoding.UTF8.GetBytes("{\"n\":\"1\"}\nCode: 395, e.displayText() = DB::Exception: Value passed to 'throwIf' function is non zero, e.what() = DB::Exception\n");

        var error = Assert.Throws<ClickHouseException>(() => JsonEachRow.Read(body, row => JsonEachRow.Int64(row, "n")));

        Assert.Equal(395, error.Code);
    }

    private static ClickHouseHttpClient Fake(HttpStatusCode status, string body) =>
        new(new() { Endpoint = new Uri("http://127.0.0.1:1/") }, new FixedReply(status, body));

    private sealed class FixedReply(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body) });
    }

    private sealed class NeverAnswers : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
