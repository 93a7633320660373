namespace Mesh.Web;

internal static class Program
{
    public static int Main() => 0;
}
