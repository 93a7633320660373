namespace Mesh.Web.Demo;

/// <summary>A demo call on a Mesh started without <c>--demo</c>; mapped to 404.</summary>
internal sealed class DemoNotRunningException() : Exception("the demo is not running: start Mesh with 'mesh up --demo'");
