using System.Globalization;
using System.Text;
using Mesh.Demo.Topology;

namespace Mesh.Web.Demo;

/// <summary>
/// The demo's control-plane resources, as the YAML an operator would <c>mesh apply</c>: Namespace <c>demo</c>
/// (mTLS STRICT), a Service per demo service (its inbound port), and the canary Route of catalog.
/// </summary>
internal static class DemoResources
{
    public static string Base(DemoPorts ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $$"""
            kind: Namespace
            metadata: {name: {{StaticSidecarConfig.Namespace}}, namespace: {{StaticSidecarConfig.Namespace}}}
            spec: {mtls: STRICT}

            """);
        foreach (var service in DemoTopology.Services.Append(DemoPorts.LoadInstance.Service))
        {
            var first = DemoTopology.Instances.Append(DemoPorts.LoadInstance).First(i => i.Service == service);
            yaml.Append(CultureInfo.InvariantCulture, $$"""
                ---
                kind: Service
                metadata: {name: {{service}}, labels: {app: mesh-demo}, namespace: {{StaticSidecarConfig.Namespace}}}
                spec:
                  ports: [{name: http, port: {{ports.Inbound(first)}}, protocol: http}]

                """);
        }

        return yaml.ToString();
    }

    public static string CanaryRoute(CanarySplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        var arms = string.Join(", ", split.Weights.Select(w => string.Create(CultureInfo.InvariantCulture, $"{{version: {w.Key}, weight: {w.Value}}}")));
        return $$"""
            kind: Route
            metadata: {name: {{DemoTopology.CanaryService}}, namespace: {{StaticSidecarConfig.Namespace}}}
            spec:
              service: {{DemoTopology.CanaryService}}
              routes:
                - name: canary
                  split: [{{arms}}]

            """;
    }
}
