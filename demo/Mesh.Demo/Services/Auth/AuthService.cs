using Mesh.Demo.Hosting;

namespace Mesh.Demo.Services.Auth;

/// <summary><c>auth</c>: logs shoppers in and verifies their session tokens. Every demo user's password is <c>demo</c>.</summary>
internal static class AuthService
{
    public const string DemoPassword = "demo";

    public static readonly DemoServiceDefinition Definition = new(
        "auth", "Login and token verification", CallsOthers: false, (s, _) => s.AddSingleton<TokenIssuer>(), Map);

    private static void Map(WebApplication app)
    {
        app.MapPost("/login", async (HttpRequest request, TokenIssuer tokens, SimulatedWork work, CancellationToken ct) =>
        {
            var (body, error) = await JsonBody.ReadAsync<LoginRequest>(request).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            if (string.IsNullOrWhiteSpace(body!.Username) || body.Username.Length > 64 || body.Username.Contains('.', StringComparison.Ordinal))
            {
                return JsonBody.BadRequest("username: required, at most 64 characters, no '.'");
            }

            if (string.IsNullOrEmpty(body.Password))
            {
                return JsonBody.BadRequest("password: required");
            }

            // Password hashing is the slow part of a real login.
            await work.DoAsync(20, 50, ct).ConfigureAwait(false);
            if (!string.Equals(body.Password, DemoPassword, StringComparison.Ordinal))
            {
                return Results.Json(new ErrorBody("username or password is wrong"), statusCode: StatusCodes.Status401Unauthorized);
            }

            var (token, expires) = tokens.Issue(body.Username);
            return Results.Json(new { token, userId = body.Username, expiresAt = expires }, DemoJson.Options);
        });

        app.MapGet("/verify", async (HttpRequest request, TokenIssuer tokens, SimulatedWork work, CancellationToken ct) =>
        {
            await work.DoAsync(1, 4, ct).ConfigureAwait(false);
            var header = request.Headers.Authorization.ToString();
            var userId = header.StartsWith("Bearer ", StringComparison.Ordinal) ? tokens.Verify(header["Bearer ".Length..]) : null;
            return userId is null
                ? Results.Json(new ErrorBody("Authorization: missing, malformed or expired bearer token"), statusCode: StatusCodes.Status401Unauthorized)
                : Results.Json(new { userId }, DemoJson.Options);
        });
    }
}
