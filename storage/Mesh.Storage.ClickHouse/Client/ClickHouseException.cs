using System.Net;

namespace Mesh.Storage.ClickHouse.Client;

/// <summary>
/// ClickHouse refused a statement (bad SQL, unknown table, authentication, a value it cannot take).
/// Public because it crosses the store's seam: callers log <see cref="ServerMessage"/> and may branch on <see cref="Code"/>.
/// Passing conditions (overload, too many parts, HTTP 503) arrive as a <c>StoreUnavailableException</c> instead.
/// </summary>
public sealed class ClickHouseException : Exception
{
    public ClickHouseException()
    {
        ServerMessage = string.Empty;
    }

    public ClickHouseException(string message)
        : base(message)
    {
        ServerMessage = message;
    }

    public ClickHouseException(string message, Exception innerException)
        : base(message, innerException)
    {
        ServerMessage = message;
    }

    public ClickHouseException(int code, string serverMessage, HttpStatusCode statusCode)
        : base($"ClickHouse error {code}: {serverMessage}")
    {
        Code = code;
        ServerMessage = serverMessage;
        StatusCode = statusCode;
    }

    /// <summary>ClickHouse's error code (<c>Code: 62</c> is a syntax error, <c>60</c> an unknown table); 0 when the reply carried none.</summary>
    public int Code { get; }

    /// <summary>ClickHouse's own message, without the <c>Code: N</c> prefix and version suffix.</summary>
    public string ServerMessage { get; }

    public HttpStatusCode StatusCode { get; }
}
