namespace Mesh.Web.Demo;

/// <summary>A demo process a scenario needs does not answer (stopped, restarting); mapped to 503 naming it.</summary>
internal sealed class DemoUnavailableException(string message) : Exception(message);
