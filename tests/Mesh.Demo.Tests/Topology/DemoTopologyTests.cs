using Mesh.Demo.Services;
using Mesh.Demo.Topology;

namespace Mesh.Demo.Tests.Topology;

public sealed class DemoTopologyTests
{
    [Fact]
    public void Instances_EveryServiceAndCallee_IsARealSubcommand()
    {
        var known = DemoServices.All.Select(d => d.Name).ToHashSet();

        Assert.All(DemoTopology.Instances, i => Assert.Contains(i.Service, known));
        Assert.All(DemoTopology.Instances.SelectMany(i => i.Calls), c => Assert.Contains(c, known));
        Assert.Equal(known.Order(), DemoTopology.Services.Order());
    }

    [Fact]
    public void Instances_PortOffsetsAndNames_AreUnique()
    {
        Assert.Equal(DemoTopology.Instances.Count, DemoTopology.Instances.Select(i => i.PortOffset).Distinct().Count());
        Assert.Equal(DemoTopology.Instances.Count, DemoTopology.Instances.Select(i => i.InstanceName).Distinct().Count());
        Assert.DoesNotContain(DemoTopology.LoadPortOffset, DemoTopology.Instances.Select(i => i.PortOffset));
    }

    [Fact]
    public void Instances_Canary_HasTwoVersionsWhoseWeightsSumTo100()
    {
        var canary = DemoTopology.Instances.Where(i => i.Service == DemoTopology.CanaryService).ToList();

        Assert.Equal(["v1", "v2"], canary.Select(i => i.Version).Order());
        Assert.Equal(100, canary.Sum(i => i.InitialWeight));
        Assert.All(DemoTopology.Instances.Where(i => i.Service != DemoTopology.CanaryService), i => Assert.Equal(100, i.InitialWeight));
    }

    [Fact]
    public void Edges_CheckoutPath_CoversFourServicesBehindTheFrontend()
    {
        Assert.Contains(("frontend", "cart"), DemoTopology.Edges);
        Assert.Contains(("cart", "inventory"), DemoTopology.Edges);
        Assert.Contains(("cart", "payment"), DemoTopology.Edges);
        Assert.Contains(("cart", "shipping"), DemoTopology.Edges);
        Assert.Contains(("frontend", "auth"), DemoTopology.Edges);
        Assert.Equal(DemoTopology.Edges.Count, DemoTopology.Edges.Distinct().Count());
    }

    [Fact]
    public void ServiceArguments_CallerWithoutUpstream_Throws()
    {
        var frontend = DemoTopology.Instances.Single(i => i.Service == "frontend");

        Assert.Throws<ArgumentException>(() => DemoTopology.ServiceArguments(frontend, 9000, null, "/tmp/x"));
    }

    [Fact]
    public void ServiceArguments_LeafService_OmitsUpstreamAndCarriesVersion()
    {
        var catalog = DemoTopology.Instances.Single(i => i.InstanceName == "catalog-v2");
        var payment = DemoTopology.Instances.Single(i => i.Service == "payment");

        var catalogArgs = DemoTopology.ServiceArguments(catalog, 9003, new Uri("http://127.0.0.1:15001"), "/d");
        var paymentArgs = DemoTopology.ServiceArguments(payment, 9006, new Uri("http://127.0.0.1:15001"), "/d");

        Assert.Equal(["catalog", "--port", "9003", "--version", "v2", "--data-dir", "/d", "--upstream", "http://127.0.0.1:15001/"], catalogArgs);
        Assert.DoesNotContain("--upstream", paymentArgs);
    }

    [Fact]
    public void LoadArguments_Defaults_NameTargetRateAndPeriod()
    {
        var args = DemoTopology.LoadArguments(new Uri("http://127.0.0.1:9000"), 2.5, 9020, TimeSpan.FromMinutes(2), "frontend");

        Assert.Equal(["load", "--target", "http://127.0.0.1:9000/", "--rps", "2.5", "--port", "9020", "--period", "120s", "--host", "frontend"], args);
    }
}
