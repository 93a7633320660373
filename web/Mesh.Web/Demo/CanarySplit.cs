using System.Globalization;
using Mesh.Demo.Topology;

namespace Mesh.Web.Demo;

/// <summary>The canary service's split by version (percent, summing to 100), e.g. <c>v1=90,v2=10</c>.</summary>
internal sealed record CanarySplit(IReadOnlyDictionary<string, int> Weights)
{
    /// <summary>The topology's starting split (90/10).</summary>
    public static CanarySplit Initial { get; } = new(DemoTopology.Instances
        .Where(i => i.Service == DemoTopology.CanaryService)
        .ToDictionary(i => i.Version, i => i.InitialWeight, StringComparer.Ordinal));

    /// <summary>The canary's versions, in topology order.</summary>
    public static IReadOnlyList<string> Versions { get; } =
        [.. DemoTopology.Instances.Where(i => i.Service == DemoTopology.CanaryService).Select(i => i.Version)];

    /// <summary>
    /// Parses <c>v1=50,v2=50</c>: every version named must be one of the canary's, each weight 0-100, summing to 100;
    /// versions left out get 0. Throws <see cref="ArgumentException"/> whose message starts with <c>weights</c>.
    /// </summary>
    public static CanarySplit Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("weights: required, e.g. v1=50,v2=50");
        }

        var weights = Versions.ToDictionary(v => v, _ => 0, StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !int.TryParse(pair[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var weight))
            {
                throw new ArgumentException($"weights: '{part}' is not version=percent (e.g. v2=10)");
            }

            if (!weights.ContainsKey(pair[0]))
            {
                throw new ArgumentException($"weights: '{pair[0]}' is not a version of {DemoTopology.CanaryService} (versions: {string.Join(", ", Versions)})");
            }

            if (weight is < 0 or > 100)
            {
                throw new ArgumentException($"weights: {pair[0]}={weight} must be from 0 to 100");
            }

            weights[pair[0]] = weight;
        }

        var sum = weights.Values.Sum();
        return sum == 100 ? new CanarySplit(weights) : throw new ArgumentException($"weights: sum to {sum}, expected 100");
    }

    public override string ToString() => string.Join(",", Weights.Select(w => $"{w.Key}={w.Value.ToString(CultureInfo.InvariantCulture)}"));
}
