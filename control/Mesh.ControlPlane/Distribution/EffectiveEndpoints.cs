using System.Globalization;
using Mesh.ControlPlane.Client.Contracts;
using Mesh.ControlPlane.Resources;

namespace Mesh.ControlPlane.Distribution;

/// <summary>Every endpoint (registered and static) with the active routing decisions applied: what proxies route to.</summary>
internal static class EffectiveEndpoints
{
    public static List<EndpointView> Of(ControlPlaneState.Inputs inputs)
    {
        var result = new List<EndpointView>();
        foreach (var e in inputs.Endpoints)
        {
            result.Add(new EndpointView(e.Id, e.Namespace, e.Service, e.Address, e.Port, e.Version.Length == 0 ? null : e.Version, e.Weight, e.Weight, false, "registered", e.ProxyId, e.ExpiresAt));
        }

        foreach (var r in inputs.Config.OfKind(ResourceKinds.Endpoint))
        {
            var s = r.As<EndpointSpec>();
            var id = string.Create(CultureInfo.InvariantCulture, $"{r.Namespace}/{s.Service}/{s.Address}:{s.Port}");
            if (result.All(e => e.Id != id))
            {
                result.Add(new EndpointView(id, r.Namespace, s.Service, s.Address, s.Port, s.Version, s.Weight, s.Weight, false, "static", null, null));
            }
        }

        // Later decisions win over earlier ones on the same endpoint; a pinned one over any automatic one.
        foreach (var d in inputs.Decisions.OrderBy(d => d.Pinned).ThenBy(d => d.Id))
        {
            var i = result.FindIndex(e => e.Id == d.EndpointId);
            if (i < 0)
            {
                continue;
            }

            result[i] = d.Action == "eject"
                ? result[i] with { Ejected = true }
                : result[i] with { EffectiveWeight = d.Weight ?? result[i].Weight, Ejected = false };
        }

        return [.. result.OrderBy(e => e.Namespace, StringComparer.Ordinal).ThenBy(e => e.Service, StringComparer.Ordinal).ThenBy(e => e.Id, StringComparer.Ordinal)];
    }
}
