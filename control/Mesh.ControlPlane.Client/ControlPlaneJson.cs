using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Mesh.ControlPlane.Client;

/// <summary>The wire JSON of the control-plane API: web defaults (camelCase), nulls left out.</summary>
public static class ControlPlaneJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
