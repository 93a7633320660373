using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Mesh.EndToEnd.Tests.Analytics;

/// <summary>
/// A minimal SignalR client over a raw WebSocket, speaking the JSON hub protocol: the handshake
/// <c>{"protocol":"json","version":1}</c>, then JSON messages each ended by the record separator 0x1e
/// (type 1 invocation, 3 completion, 6 ping, 7 close). The .NET SignalR client is not in our package source.
/// </summary>
internal sealed class SignalRJsonClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly StringBuilder _pending = new();
    private readonly Queue<JsonElement> _messages = new();
    private int _invocationId;

    public static async Task<SignalRJsonClient> ConnectAsync(Uri url, CancellationToken cancellationToken)
    {
        var client = new SignalRJsonClient();
        await client._socket.ConnectAsync(url, cancellationToken);
        await client.SendRawAsync("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator, cancellationToken);
        var handshake = await client.ReceiveAsync(cancellationToken);
        if (handshake.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"SignalR handshake refused: {error}");
        }

        return client;
    }

    /// <summary>Invokes a hub method and waits for its completion (skipping other messages, which stay queued).</summary>
    public async Task<JsonElement> InvokeAsync(string target, object?[] arguments, CancellationToken cancellationToken)
    {
        var id = (++_invocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var message = JsonSerializer.Serialize(new Dictionary<string, object?> { ["type"] = 1, ["invocationId"] = id, ["target"] = target, ["arguments"] = arguments });
        await SendRawAsync(message + RecordSeparator, cancellationToken);
        var skipped = new List<JsonElement>();
        try
        {
            while (true)
            {
                var reply = await ReceiveAsync(cancellationToken);
                if (reply.GetProperty("type").GetInt32() == 3 && reply.GetProperty("invocationId").GetString() == id)
                {
                    return reply;
                }

                skipped.Add(reply);
            }
        }
        finally
        {
            foreach (var m in skipped)
            {
                _messages.Enqueue(m);
            }
        }
    }

    /// <summary>The next invocation of <paramref name="target"/> the server sends (pings and others skipped); its first argument.</summary>
    public async Task<JsonElement> NextInvocationAsync(string target, CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = _messages.Count > 0 ? _messages.Dequeue() : await ReceiveAsync(cancellationToken);
            if (message.GetProperty("type").GetInt32() == 1 && message.GetProperty("target").GetString() == target)
            {
                return message.GetProperty("arguments")[0];
            }

            if (message.GetProperty("type").GetInt32() == 7)
            {
                throw new InvalidOperationException($"the server closed the connection: {message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _socket.Dispose();
    }

    private Task SendRawAsync(string text, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>One message: frames are read until a record separator ends one (a frame may hold several, or part of one).</summary>
    private async Task<JsonElement> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf(RecordSeparator, StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 1);
                using var document = JsonDocument.Parse(text[..end]);
                return document.RootElement.Clone();
            }

            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"the server closed the WebSocket: {result.CloseStatus} {result.CloseStatusDescription}");
            }

            _pending.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
    }
}
