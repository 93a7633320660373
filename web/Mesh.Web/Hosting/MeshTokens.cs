using System.Security.Cryptography;
using System.Text.Json;

namespace Mesh.Web.Hosting;

/// <summary>
/// The ingest and admin bearer tokens. Given ones (flags/env/config) win; otherwise the tokens generated on
/// the first run are read back from <c>tokens.json</c> in the data dir (readable by the owner only).
/// </summary>
internal sealed record MeshTokens(string IngestToken, string AdminToken, bool Generated)
{
    public const string FileName = "tokens.json";

    public static MeshTokens Resolve(MeshSettings settings, string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        string? ingest = settings.IngestToken;
        string? admin = settings.AdminToken;
        var generated = false;
        if (ingest is null || admin is null)
        {
            var stored = Read(path);
            if (stored is null)
            {
                stored = new StoredTokens(NewToken("mesh_ingest_"), NewToken("mesh_admin_"));
                Write(path, stored);
                generated = true;
            }

            ingest ??= stored.Ingest;
            admin ??= stored.Admin;
        }

        return new MeshTokens(ingest, admin, generated);
    }

    private static string NewToken(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    private static StoredTokens? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var tokens = JsonSerializer.Deserialize(File.ReadAllText(path), MeshJsonContext.Default.StoredTokens);
            return tokens is { Ingest.Length: > 0, Admin.Length: > 0 }
                ? tokens
                : throw new SettingsException($"{path}: expected {{\"ingest\": \"…\", \"admin\": \"…\"}} with non-empty tokens");
        }
        catch (JsonException ex)
        {
            throw new SettingsException($"{path}: not valid JSON ({ex.Message}); fix it or delete it to generate new tokens");
        }
    }

    private static void Write(string path, StoredTokens tokens)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(tokens, MeshJsonContext.Default.StoredTokens));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, path, overwrite: true);
    }
}
