using System.Text.Json;

namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>A config revision: who, when, why, and the diff (per resource: action, before, after).</summary>
public sealed record RevisionView(long Number, string Author, DateTimeOffset At, string Message, JsonElement Diff);
