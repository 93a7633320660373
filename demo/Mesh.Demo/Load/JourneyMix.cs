namespace Mesh.Demo.Load;

/// <summary>How often each journey happens (weights, normalised); the default is a store's usual funnel.</summary>
internal sealed record JourneyMix(double Browse, double Login, double AddToCart, double Checkout)
{
    public static readonly JourneyMix Default = new(Browse: 60, Login: 10, AddToCart: 20, Checkout: 10);

    public double Total => Browse + Login + AddToCart + Checkout;

    /// <summary>Picks a journey for a uniform draw in [0, 1).</summary>
    public JourneyKind Pick(double draw)
    {
        var x = draw * Total;
        if ((x -= Browse) < 0)
        {
            return JourneyKind.Browse;
        }

        if ((x -= Login) < 0)
        {
            return JourneyKind.Login;
        }

        return x - AddToCart < 0 ? JourneyKind.AddToCart : JourneyKind.Checkout;
    }
}
