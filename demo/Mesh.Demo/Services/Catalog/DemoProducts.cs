namespace Mesh.Demo.Services.Catalog;

/// <summary>The store's assortment; inventory seeds its stock for the same SKUs.</summary>
internal static class DemoProducts
{
    public static readonly IReadOnlyList<Product> All =
    [
        new("sku-espresso", "Espresso machine", "kitchen", 34_900, 4.6),
        new("sku-grinder", "Burr coffee grinder", "kitchen", 12_900, 4.4),
        new("sku-kettle", "Gooseneck kettle", "kitchen", 5_900, 4.2),
        new("sku-mug", "Ceramic mug", "kitchen", 1_400, 4.8),
        new("sku-backpack", "Commuter backpack", "bags", 8_900, 4.5),
        new("sku-headphones", "Noise-cancelling headphones", "audio", 24_900, 4.7),
        new("sku-speaker", "Bluetooth speaker", "audio", 7_900, 4.1),
        new("sku-lamp", "Desk lamp", "home", 4_500, 4.3),
        new("sku-plant", "Potted fern", "home", 2_500, 3.9),
        new("sku-notebook", "Dotted notebook", "stationery", 1_200, 4.6),
    ];

    public static Product? Find(string sku) => All.FirstOrDefault(p => string.Equals(p.Sku, sku, StringComparison.Ordinal));
}
