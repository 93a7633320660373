using Mesh.Demo.Hosting;
using Mesh.Demo.Services.Auth;
using Mesh.Demo.Services.Cart;
using Mesh.Demo.Services.Catalog;
using Mesh.Demo.Services.Frontend;
using Mesh.Demo.Services.Inventory;
using Mesh.Demo.Services.Payment;
using Mesh.Demo.Services.Shipping;

namespace Mesh.Demo.Services;

/// <summary>Every demo service, by the name its subcommand and its Host header use.</summary>
internal static class DemoServices
{
    public static readonly IReadOnlyList<DemoServiceDefinition> All =
    [
        FrontendService.Definition,
        AuthService.Definition,
        CatalogService.Definition,
        CartService.Definition,
        InventoryService.Definition,
        PaymentService.Definition,
        ShippingService.Definition,
    ];

    public static DemoServiceDefinition Get(string name) =>
        All.FirstOrDefault(d => d.Name == name) ?? throw new ArgumentException($"no demo service '{name}'", nameof(name));
}
