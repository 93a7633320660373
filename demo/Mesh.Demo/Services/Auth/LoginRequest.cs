namespace Mesh.Demo.Services.Auth;

/// <summary><c>POST /login</c>.</summary>
internal sealed record LoginRequest(string? Username, string? Password);
