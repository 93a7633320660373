using System.Globalization;

namespace Mesh.Web.Api;

/// <summary>Maps a severity filter (a name such as <c>warn</c>, or an OTLP number 1-24) to the lowest OTLP severity number.</summary>
internal static class Severity
{
    public static int? Parse(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return number is >= 1 and <= 24
                ? number
                : throw new ApiParameterException("severity", $"'{raw}' is out of range: OTLP severity numbers run from 1 to 24");
        }

        return raw.ToUpperInvariant() switch
        {
            "TRACE" => 1,
            "DEBUG" => 5,
            "INFO" => 9,
            "WARN" or "WARNING" => 13,
            "ERROR" => 17,
            "FATAL" => 21,
            _ => throw new ApiParameterException("severity", $"'{raw}' is not a severity: use trace, debug, info, warn, error, fatal or a number 1-24"),
        };
    }
}
