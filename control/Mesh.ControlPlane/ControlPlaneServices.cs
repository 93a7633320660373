using Mesh.ControlPlane.Access;
using Mesh.ControlPlane.Config;
using Mesh.ControlPlane.Decisions;
using Mesh.ControlPlane.Distribution;
using Mesh.ControlPlane.Identity;
using Mesh.ControlPlane.Registry;
using Mesh.Core.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.ControlPlane;

/// <summary>Registers the control plane; <see cref="InitializeControlPlaneAsync"/> loads its state before the host starts.</summary>
public static class ControlPlaneServices
{
    /// <summary>Needs an <see cref="IMetadataStore"/> (initialised) and a <see cref="TimeProvider"/> registered by the host.</summary>
    public static IServiceCollection AddControlPlane(this IServiceCollection services, ControlPlaneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options.Distribution);
        services.AddSingleton(options.Limits);
        services.AddSingleton<ControlPlaneState>();
        services.AddSingleton<ConfigService>();
        services.AddSingleton<EndpointRegistry>();
        services.AddSingleton<DecisionService>();
        services.AddSingleton<TokenService>();
        services.AddSingleton(sp => new MeshCertificateAuthority(options.Ca, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<WatchHub>();
        services.AddHostedService(sp => sp.GetRequiredService<WatchHub>());
        services.AddHostedService<ControlPlaneSweeper>();
        return services;
    }

    /// <summary>Loads config, endpoints and decisions from the store, creates the CA root if missing and stores the bootstrap admin token.</summary>
    public static async Task InitializeControlPlaneAsync(this IServiceProvider services, string? adminToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        _ = services.GetRequiredService<IMetadataStore>();
        await services.GetRequiredService<ConfigService>().LoadAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<EndpointRegistry>().LoadAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<DecisionService>().LoadAsync(cancellationToken).ConfigureAwait(false);
        _ = services.GetRequiredService<MeshCertificateAuthority>();
        if (adminToken is not null)
        {
            await services.GetRequiredService<TokenService>().EnsureAdminAsync(adminToken, cancellationToken).ConfigureAwait(false);
        }
    }
}
