using System.Text.Json;

namespace Mesh.Demo.Hosting;

/// <summary>The JSON settings every service and the load generator share (camelCase, web defaults).</summary>
internal static class DemoJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
