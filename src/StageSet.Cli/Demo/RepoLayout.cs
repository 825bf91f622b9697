namespace StageSet.Cli.Demo;

/// <summary>
/// Where the demo finds our CRDs, the Flux source CRDs and the quickstart example: the first directory, walking
/// up from the working directory and then from the application's base directory, that holds all three. A fresh
/// clone runs the demo from its root; <c>dotnet run</c> from elsewhere still finds the checkout through the build
/// output path.
/// </summary>
internal sealed record RepoLayout(string Root)
{
    public string CrdDir => Path.Combine(Root, "config", "crd");

    public string FluxCrdDir => Path.Combine(Root, "config", "testing", "flux-crds");

    public string QuickstartDir => Path.Combine(Root, "examples", "quickstart");

    public static RepoLayout Find(string? explicitRoot)
    {
        if (explicitRoot is not null)
        {
            var layout = new RepoLayout(Path.GetFullPath(explicitRoot));
            return layout.IsComplete
                ? layout
                : throw new CliException($"--repo-root {explicitRoot}: expected config/crd, config/testing/flux-crds and examples/quickstart there");
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var layout = new RepoLayout(dir.FullName);
                if (layout.IsComplete)
                {
                    return layout;
                }
            }
        }

        throw new CliException(
            "cannot find config/crd, config/testing/flux-crds and examples/quickstart: run the demo from the repository checkout or pass --repo-root");
    }

    private bool IsComplete => Directory.Exists(CrdDir) && Directory.Exists(FluxCrdDir)
                               && File.Exists(Path.Combine(QuickstartDir, "stageset.yaml"));
}
