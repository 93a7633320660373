namespace Mesh.Demo.Load;

/// <summary>What a simulated shopper does in one visit.</summary>
internal enum JourneyKind
{
    /// <summary>List products, open a few.</summary>
    Browse,

    /// <summary>Log in.</summary>
    Login,

    /// <summary>Log in, open a product, add it to the cart.</summary>
    AddToCart,

    /// <summary>Log in, browse, add one or two products, check out.</summary>
    Checkout,
}
