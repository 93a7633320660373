namespace Mesh.Analytics.Health;

/// <summary>Health thresholds: a default, and overrides per destination service.</summary>
public sealed record HealthOptions
{
    public HealthThresholds Default { get; init; } = new();

    public IReadOnlyDictionary<string, HealthThresholds> Services { get; init; } = new Dictionary<string, HealthThresholds>(StringComparer.Ordinal);

    public HealthThresholds For(string service) => Services.TryGetValue(service, out var t) ? t : Default;

    public void Validate()
    {
        Default.Validate("default");
        foreach (var (service, thresholds) in Services)
        {
            thresholds.Validate(service);
        }
    }
}
