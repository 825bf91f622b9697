namespace StageSet.Testing;

/// <summary>Locates the repository and the shared spec/testdata folder that CI places beside the checkout.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary><c>../shared</c> beside the checkout, or <c>STAGESET_SHARED_DIR</c> when set.</summary>
    public static string SharedDir { get; } =
        Environment.GetEnvironmentVariable("STAGESET_SHARED_DIR") is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string TestData(params string[] parts) => Path.Combine([SharedDir, "testdata", .. parts]);

    public static string Repo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StageSet.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("StageSet.slnx not found above " + AppContext.BaseDirectory);
    }
}
