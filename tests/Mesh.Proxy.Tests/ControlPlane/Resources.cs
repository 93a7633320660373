namespace Mesh.Proxy.Tests.ControlPlane;

/// <summary>Control-plane resources the sidecar tests apply.</summary>
internal static class Resources
{
    public static string Shop(string mtls = "STRICT") => $$"""
        kind: Namespace
        metadata: {name: shop, namespace: shop}
        spec: {mtls: {{mtls}}, defaultDeny: false}
        ---
        kind: Service
        metadata: {name: cart, namespace: shop}
        spec: {ports: [{port: 8080}]}
        ---
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {ports: [{port: 80}]}
        """;

    public static string Service(string name) => $$"""
        kind: Service
        metadata: {name: {{name}}, namespace: shop}
        spec: {ports: [{port: 8080}]}
        """;

    public static string Split(int v1, int v2) => $$"""
        kind: Route
        metadata: {name: cart, namespace: shop}
        spec:
          service: cart
          loadBalancer: round_robin
          routes:
            - name: api
              match: {path: {prefix: /api} }
              split: [{version: v1, weight: {{v1}} }, {version: v2, weight: {{v2}} }]
        """;
}
