using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesh.ControlPlane.Resources;

/// <summary>
/// Reads resources from YAML (one or more documents) or JSON (an object, an array, or <c>{"items": [...]}</c>)
/// and binds each spec to its typed record. Every error is collected and names the document and field.
/// </summary>
internal static class ResourceParser
{
    private static readonly Dictionary<string, Type> SpecTypes = new(StringComparer.Ordinal)
    {
        [ResourceKinds.Namespace] = typeof(NamespaceSpec),
        [ResourceKinds.Service] = typeof(ServiceSpec),
        [ResourceKinds.Endpoint] = typeof(EndpointSpec),
        [ResourceKinds.Route] = typeof(RouteSpec),
        [ResourceKinds.AuthorizationPolicy] = typeof(AuthorizationPolicySpec),
    };

    public static IReadOnlyList<Resource> Parse(string text)
    {
        var trimmed = text.TrimStart();
        List<JsonNode?> documents;
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            JsonNode? root;
            try
            {
                root = JsonNode.Parse(text);
            }
            catch (JsonException ex)
            {
                throw new ResourceValidationException($"invalid JSON at line {(ex.LineNumber ?? 0) + 1}: {ex.Message}");
            }

            documents = root switch
            {
                JsonArray array => [.. array],
                JsonObject o when o["items"] is JsonArray items => [.. items],
                _ => [root],
            };
            documents = [.. documents.Select(d => d?.DeepClone())];
        }
        else
        {
            documents = YamlDocuments.Read(text);
        }

        var errors = new List<ResourceError>();
        var resources = new List<Resource>();
        for (var i = 0; i < documents.Count; i++)
        {
            if (documents[i] is null)
            {
                continue;
            }

            if (FromDocument(documents[i]!, $"documents[{i}]", errors) is { } resource)
            {
                resources.Add(resource);
            }
        }

        if (errors.Count == 0 && resources.Count == 0)
        {
            errors.Add(new ResourceError("", "", "no resources found in the input"));
        }

        return errors.Count > 0 ? throw new ResourceValidationException(errors) : resources;
    }

    /// <summary>Binds a stored document again (at start-up and for rollback); stored documents were valid when written.</summary>
    public static Resource FromStored(string document)
    {
        var errors = new List<ResourceError>();
        var node = JsonNode.Parse(document) ?? throw new ResourceValidationException("empty stored resource");
        return FromDocument(node, "stored", errors) ?? throw new ResourceValidationException(errors);
    }

    private static Resource? FromDocument(JsonNode node, string where, List<ResourceError> errors)
    {
        if (node is not JsonObject document)
        {
            errors.Add(new ResourceError(where, "", "a resource must be a mapping with kind, metadata and spec"));
            return null;
        }

        var kind = Text(document, "kind");
        var metadata = document["metadata"] as JsonObject;
        var name = metadata is null ? null : Text(metadata, "name");
        var ns = (metadata is null ? null : Text(metadata, "namespace")) ?? "default";
        var id = $"{kind ?? "?"}/{ns}/{name ?? "?"}";
        var before = errors.Count;
        foreach (var key in document.Select(p => p.Key))
        {
            if (key is not ("apiVersion" or "kind" or "metadata" or "spec"))
            {
                errors.Add(new ResourceError(id, key, "unknown field (expected apiVersion, kind, metadata, spec)"));
            }
        }

        if (kind is null || !SpecTypes.TryGetValue(kind, out var specType))
        {
            errors.Add(new ResourceError(where, "kind", kind is null
                ? "is required"
                : $"'{kind}' is not a resource kind (use {string.Join(", ", ResourceKinds.All)})"));
            return null;
        }

        if (metadata is null)
        {
            errors.Add(new ResourceError(id, "metadata", "is required (with at least a name)"));
            return null;
        }

        foreach (var key in metadata.Select(p => p.Key))
        {
            if (key is not ("name" or "namespace" or "labels"))
            {
                errors.Add(new ResourceError(id, $"metadata.{key}", "unknown field (expected name, namespace, labels)"));
            }
        }

        Names.Check(name, id, "metadata.name", errors);
        Names.Check(ns, id, "metadata.namespace", errors);
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (metadata["labels"] is JsonObject labelObject)
        {
            foreach (var (key, value) in labelObject)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    labels[key] = s;
                }
                else
                {
                    errors.Add(new ResourceError(id, $"metadata.labels.{key}", "must be a string"));
                }
            }
        }
        else if (metadata["labels"] is not null)
        {
            errors.Add(new ResourceError(id, "metadata.labels", "must be a mapping of strings"));
        }

        var specNode = document["spec"] ?? new JsonObject();
        object? spec = null;
        try
        {
            spec = specNode.Deserialize(specType, SpecJson.Options);
        }
        catch (JsonException ex)
        {
            errors.Add(new ResourceError(id, SpecPath(ex.Path), Reason(ex)));
        }

        if (spec is null || errors.Count > before)
        {
            if (spec is null && errors.Count == before)
            {
                errors.Add(new ResourceError(id, "spec", "must be a mapping"));
            }

            return null;
        }

        var normal = new JsonObject
        {
            ["kind"] = kind,
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
            },
            ["spec"] = JsonSerializer.SerializeToNode(spec, specType, SpecJson.Options),
        };
        return new Resource(kind, ns, name!, labels, spec, normal);
    }

    private static string? Text(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string SpecPath(string? jsonPath) =>
        jsonPath is null or "$" ? "spec" : "spec" + jsonPath.TrimStart('$');

    private static string Reason(JsonException ex)
    {
        var message = ex.InnerException?.Message ?? ex.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return "unknown field";
        }

        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        message = cut < 0 ? message : message[..cut];
        return message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
            ? "has the wrong type or an unknown value"
            : message;
    }
}
