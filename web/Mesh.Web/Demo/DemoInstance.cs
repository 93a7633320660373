using Mesh.Demo.Topology;

namespace Mesh.Web.Demo;

/// <summary>One running instance of the demo store: the service process and its sidecar process.</summary>
internal sealed record DemoInstance(DemoServiceInstance Topology, ChildProcess App, ChildProcess Sidecar);
