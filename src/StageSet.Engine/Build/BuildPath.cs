using StageSet.Artifacts;

namespace StageSet.Engine.Build;

/// <summary>§4 step 2: where inside the artifact a stage builds.</summary>
internal static class BuildPath
{
    /// <summary>The cleaned relative directory ("" for the root).</summary>
    public static string Resolve(string? path, ArtifactTree tree)
    {
        var trimmed = (path ?? "").Trim('/');
        if (trimmed.Length == 0 || trimmed == ".")
        {
            return "";
        }

        var cleaned = ArtifactPath.Clean(trimmed);
        if (cleaned == ".")
        {
            return "";
        }

        if (cleaned == ".." || cleaned.StartsWith("../", StringComparison.Ordinal) || cleaned.StartsWith('/'))
        {
            throw new BuildException($"build path \"{path}\" escapes the artifact root");
        }

        var prefix = cleaned + "/";
        if (!tree.Files.Any(f => f.StartsWith(prefix, StringComparison.Ordinal)))
        {
            throw new BuildException($"build path \"{path}\" not found in artifact");
        }

        return cleaned;
    }

    /// <summary>Files at or below <paramref name="dir"/>, relative to the artifact root.</summary>
    public static IEnumerable<string> FilesUnder(ArtifactTree tree, string dir) =>
        dir.Length == 0 ? tree.Files : tree.Files.Where(f => f.StartsWith(dir + "/", StringComparison.Ordinal));

    public static string Join(string dir, string name) => dir.Length == 0 ? name : dir + "/" + name;
}
