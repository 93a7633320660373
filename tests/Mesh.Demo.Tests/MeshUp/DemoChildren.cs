using System.Globalization;

namespace Mesh.Demo.Tests.MeshUp;

/// <summary>The live processes that <c>mesh up --demo</c> started: those whose environment names it as their parent.</summary>
internal static class DemoChildren
{
    public static IReadOnlyList<int> Of(int parentPid)
    {
        var marker = "MESH_PARENT_PID=" + parentPid.ToString(CultureInfo.InvariantCulture) + "\0";
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllText(Path.Combine(dir, "environ"));
                var state = File.ReadAllText(Path.Combine(dir, "stat"));
                var zombie = state.Length > state.LastIndexOf(')') + 2 && state[state.LastIndexOf(')') + 2] == 'Z';
                if (!zombie && (environ.StartsWith(marker, StringComparison.Ordinal) || environ.Contains("\0" + marker, StringComparison.Ordinal)))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours.
            }
        }

        return found;
    }
}
