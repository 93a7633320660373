using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Mesh.Testing;
using Xunit;

namespace Mesh.EndToEnd.Tests.WebUi;

/// <summary>
/// The web UI's files from a real <c>mesh up</c>: the build's brotli and gzip copies go out by Accept-Encoding,
/// with the original type and the same bytes once decoded; a client that accepts neither gets the plain file.
/// </summary>
[Collection(MeshCollection.Name)]
public sealed partial class PrecompressedUiTests(MeshFixture fixture)
{
    private readonly MeshProcess _mesh = fixture.Mesh;

    [Fact]
    public async Task Assets_ByAcceptEncoding_BrotliGzipOrPlain()
    {
        // No automatic decompression: the test sees the bytes on the wire.
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = _mesh.ApiUrl };
        var index = await http.GetStringAsync(new Uri("/map", UriKind.Relative));
        var script = ScriptPath().Match(index);
        Assert.True(script.Success, $"no /assets/*.js in index.html:\n{index}");
        var plain = await GetAsync(http, script.Value, null);
        Assert.Null(plain.Encoding);
        Assert.Equal("text/javascript", plain.Type);
        Assert.Contains("Accept-Encoding", plain.Vary);

        var br = await GetAsync(http, script.Value, "gzip, deflate, br");
        Assert.Equal("br", br.Encoding);
        Assert.Equal("text/javascript", br.Type);
        Assert.True(br.Body.Length < plain.Body.Length / 2, $"brotli {br.Body.Length} B against plain {plain.Body.Length} B");
        Assert.Equal(plain.Body, Decode(new BrotliStream(new MemoryStream(br.Body), CompressionMode.Decompress)));

        var gzip = await GetAsync(http, script.Value, "br;q=0, gzip");
        Assert.Equal("gzip", gzip.Encoding);
        Assert.Equal(plain.Body, Decode(new GZipStream(new MemoryStream(gzip.Body), CompressionMode.Decompress)));

        Assert.Null((await GetAsync(http, script.Value, "identity")).Encoding);

        // The page itself (a deep link answered with index.html) is compressed too, and stays uncached.
        var page = await GetAsync(http, "/traces?service=x", "br");
        Assert.Equal("br", page.Encoding);
        Assert.StartsWith("text/html", page.Type, StringComparison.Ordinal);
        Assert.Contains(script.Value, System.Text.Encoding.UTF8.GetString(Decode(new BrotliStream(new MemoryStream(page.Body), CompressionMode.Decompress))), StringComparison.Ordinal);
    }

    private static async Task<(string? Encoding, string? Type, string Vary, byte[] Body)> GetAsync(HttpClient http, string path, string? acceptEncoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Content.Headers.ContentEncoding.SingleOrDefault(), response.Content.Headers.ContentType?.MediaType,
            string.Join(",", response.Headers.Vary), await response.Content.ReadAsByteArrayAsync());
    }

    private static byte[] Decode(Stream decoder)
    {
        using (decoder)
        {
            using var output = new MemoryStream();
            decoder.CopyTo(output);
            return output.ToArray();
        }
    }

    [GeneratedRegex(@"/assets/index-[\w-]+\.js")]
    private static partial Regex ScriptPath();
}
