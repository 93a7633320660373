namespace Mesh.Demo.Hosting;

/// <summary>One kind of demo service: its name, what it needs in DI, and the endpoints it maps.</summary>
internal sealed record DemoServiceDefinition(
    string Name,
    string Description,
    bool CallsOthers,
    Action<IServiceCollection, DemoServiceOptions> Register,
    Action<WebApplication> Map);
