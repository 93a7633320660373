using System.Text;
using System.Text.Unicode;

namespace Mesh.Otlp.Wire;

/// <summary>
/// Protobuf strings as the model would have them. Google.Protobuf decodes invalid UTF-8 with replacement
/// characters rather than failing; a slice that is valid UTF-8 is used as it is, and only an invalid one is
/// decoded the same way (the same .NET decoder) into text.
/// </summary>
public static class WireText
{
    public static bool IsValid(ReadOnlySpan<byte> utf8) => Utf8.IsValid(utf8);

    public static string Decode(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);
}
