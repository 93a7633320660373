using System.Text.Json;

namespace Mesh.Demo.Hosting;

/// <summary>
/// Reads a request's JSON body with the field named when it is wrong: minimal API binding would answer a
/// bare 400 with no message.
/// </summary>
internal static class JsonBody
{
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request)
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, DemoJson.Options, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return value is null ? (default, BadRequest("body: expected a JSON object")) : (value, null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (default, BadRequest($"{field}: not valid here ({ex.Message.Split(". Path:")[0]})"));
        }
    }

    public static IResult BadRequest(string message) => Results.Json(new ErrorBody(message), DemoJson.Options, statusCode: StatusCodes.Status400BadRequest);
}
