namespace Mesh.Web.Hosting;

/// <summary>A setting has a value Mesh cannot use; the message names the setting and where it came from.</summary>
internal sealed class SettingsException(string message) : Exception(message);
