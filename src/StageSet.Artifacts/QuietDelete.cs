namespace StageSet.Artifacts;

/// <summary>Best-effort cleanup of staging files: a leftover is harmless, an exception while cleaning up is not.</summary>
internal static class QuietDelete
{
    public static void File(string path) => Try(() => System.IO.File.Delete(path));

    public static void Directory(string path) => Try(() =>
    {
        if (System.IO.Directory.Exists(path))
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
    });

    private static void Try(Action action)
    {
        try
        {
            action();
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
