namespace Mesh.ControlPlane.Tests;

/// <summary>Resource documents the tests apply.</summary>
internal static class Yaml
{
    public const string Shop = """
        kind: Namespace
        metadata: {name: shop, namespace: shop}
        spec: {mtls: STRICT, defaultDeny: true}
        ---
        kind: Service
        metadata: {name: cart, namespace: shop, labels: {team: checkout}}
        spec:
          ports: [{name: http, port: 8080}]
        ---
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          ports: [{port: 80}]
        """;

    public static string Route(int v1, int v2) => $$"""
        kind: Route
        metadata: {name: cart, namespace: shop}
        spec:
          service: cart
          loadBalancer: round_robin
          routes:
            - name: api
              match: {path: {prefix: /api}, methods: [GET]}
              retry: {attempts: 3, perTryTimeout: 500ms}
              timeout: 2s
              split: [{version: v1, weight: {{v1}}}, {version: v2, weight: {{v2}}}]
        """;

    public const string Policy = """
        kind: AuthorizationPolicy
        metadata: {name: web-to-cart, namespace: shop}
        spec:
          service: cart
          action: ALLOW
          rules:
            - identities: [spiffe://mesh.local/ns/shop/sa/web]
              methods: [GET]
        """;
}
